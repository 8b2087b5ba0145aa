namespace CachePurge.Core.Diagnostics;

/// <summary>One cache's counters for one minute. Every purge adds to them with an interlocked increment and no lock.</summary>
internal sealed class ActivityMinute(long minute)
{
    private readonly int[] _latencyBins = new int[LatencyBins.Count];
    private int _succeeded;
    private int _failed;

    /// <summary>Whole minutes since the Unix epoch.</summary>
    public long Minute { get; } = minute;

    public void Answered(bool succeeded)
    {
        if (succeeded)
        {
            Interlocked.Increment(ref _succeeded);
        }
        else
        {
            Interlocked.Increment(ref _failed);
        }
    }

    public void Acknowledged(TimeSpan latency) => Interlocked.Increment(ref _latencyBins[LatencyBins.Of(latency)]);

    /// <summary>Adds the counts of <paramref name="other"/>, the same minute counted by an engine that stopped.</summary>
    public void Add(ActivityMinute other)
    {
        Interlocked.Add(ref _succeeded, Volatile.Read(ref other._succeeded));
        Interlocked.Add(ref _failed, Volatile.Read(ref other._failed));
        for (var i = 0; i < _latencyBins.Length; i++)
        {
            Interlocked.Add(ref _latencyBins[i], Volatile.Read(ref other._latencyBins[i]));
        }
    }

    /// <summary>
    /// The counters as they are now; read while purges go on adding to them, so the latency of a purge may be in and its
    /// count not yet, which a chart cannot show.
    /// </summary>
    public MinuteActivity Snapshot()
    {
        Span<int> bins = stackalloc int[LatencyBins.Count];
        for (var i = 0; i < bins.Length; i++)
        {
            bins[i] = Volatile.Read(ref _latencyBins[i]);
        }

        return new(
            DateTimeOffset.FromUnixTimeSeconds(Minute * 60),
            Volatile.Read(ref _succeeded),
            Volatile.Read(ref _failed),
            LatencyBins.Percentile(bins, 0.50),
            LatencyBins.Percentile(bins, 0.95));
    }
}
