namespace CachePurge.Core.Diagnostics;

/// <summary>The last samples of a latency, for percentiles an admin page can show without a metrics backend.</summary>
internal sealed class LatencyWindow(int capacity = 1_024)
{
    private readonly double[] _samples = new double[capacity];
    private readonly Lock _lock = new();
    private long _count;

    public void Add(TimeSpan latency)
    {
        lock (_lock)
        {
            _samples[_count % _samples.Length] = latency.TotalMilliseconds;
            _count++;
        }
    }

    /// <summary>The <paramref name="quantile"/> (0–1) of the window, or null when it is empty.</summary>
    public TimeSpan? Percentile(double quantile)
    {
        double[] sorted;
        lock (_lock)
        {
            sorted = [.. _samples.Take((int)Math.Min(_count, _samples.Length))];
        }

        if (sorted.Length == 0)
        {
            return null;
        }

        Array.Sort(sorted);
        var index = Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1);
        return TimeSpan.FromMilliseconds(sorted[index]);
    }
}
