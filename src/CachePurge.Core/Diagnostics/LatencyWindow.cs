namespace CachePurge.Core.Diagnostics;

/// <summary>The last samples of a latency, for percentiles an admin page can show without a metrics backend.</summary>
internal sealed class LatencyWindow(int capacity = 1_024)
{
    private readonly double[] _samples = new double[capacity];
    private long _count;

    /// <summary>
    /// Takes no lock, because every purge adds one; a percentile read at the same moment may see the slot being written
    /// with its previous sample.
    /// </summary>
    public void Add(TimeSpan latency)
    {
        var index = Interlocked.Increment(ref _count) - 1;
        Volatile.Write(ref _samples[index % _samples.Length], latency.TotalMilliseconds);
    }

    /// <summary>The <paramref name="quantile"/> (0–1) of the window, or null when it is empty.</summary>
    public TimeSpan? Percentile(double quantile)
    {
        double[] sorted = [.. _samples.Take((int)Math.Min(Volatile.Read(ref _count), _samples.Length))];
        if (sorted.Length == 0)
        {
            return null;
        }

        Array.Sort(sorted);
        var index = Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1);
        return TimeSpan.FromMilliseconds(sorted[index]);
    }
}
