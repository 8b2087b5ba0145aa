namespace CachePurge.Bench;

internal sealed record Throughput(long Requests, TimeSpan Elapsed)
{
    public double PerSecond => Requests / Elapsed.TotalSeconds;
}
