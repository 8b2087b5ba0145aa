namespace CachePurge.Bench;

/// <summary>Samples the process's working set every 20 ms and keeps the peak: the OS's peak counter would include earlier runs.</summary>
internal sealed class WorkingSetSampler : IDisposable
{
    private readonly Timer _timer;
    private long _peak = Environment.WorkingSet;

    public WorkingSetSampler() => _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(20));

    public long Peak
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peak);
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        var current = Environment.WorkingSet;
        long peak;
        do
        {
            peak = Interlocked.Read(ref _peak);
        }
        while (current > peak && Interlocked.CompareExchange(ref _peak, current, peak) != peak);
    }
}
