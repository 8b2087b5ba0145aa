using System.Globalization;
using System.Text;

namespace CachePurge.Bench;

/// <summary>The one table the benchmark prints, with ratios computed from rows of the same run.</summary>
internal sealed class BenchReport(BenchSettings settings, string varnishVersion)
{
    public Throughput Naive { get; set; } = null!;
    public Throughput KeepAlive { get; set; } = null!;
    public Throughput ParallelHttpClient { get; set; } = null!;
    public Throughput Wrk { get; set; } = null!;
    public Throughput Engine { get; set; } = null!;
    public Throughput EngineWithoutPipelining { get; set; } = null!;
    public long EnginePeakWorkingSet { get; set; }
    public Dictionary<string, LatencyPercentiles> CommitLatency { get; } = [];
    public Throughput Million { get; set; } = null!;
    public long MillionPeakWorkingSet { get; set; }

    public override string ToString()
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"CachePurge benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {varnishVersion}, {Environment.OSVersion}");
        text.AppendLine();
        text.AppendLine("| run | requests | purges/s | vs naive | vs wrk |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        Row("naive: one at a time, new connection each (Connection: close)", Naive);
        Row("one at a time, one keep-alive connection", KeepAlive);
        Row($"plain HttpClient, {settings.Concurrency} in flight (no journal, no retries)", ParallelHttpClient);
        Row("wrk -t2 -c32, PURGE (loopback limit)", Wrk);
        Row($"**CachePurge engine**, concurrency {settings.Concurrency}, SQLite journal on", Engine);
        Row($"CachePurge engine, same, pipelining off (SocketsHttpHandler)", EngineWithoutPipelining);
        Row($"CachePurge engine, {settings.MemoryPaths:N0} paths (backlog in the journal)", Million);
        text.AppendLine();
        text.AppendLine(culture, $"- engine / naive: **{Engine.PerSecond / Naive.PerSecond:F1}×**; engine / wrk: **{Engine.PerSecond / Wrk.PerSecond:P0}**; engine / plain HttpClient: {Engine.PerSecond / ParallelHttpClient.PerSecond:P0}");
        text.AppendLine(culture, $"- peak working set: {Mb(EnginePeakWorkingSet)} during the {settings.Paths:N0}-path run; {Mb(MillionPeakWorkingSet)} during the {settings.MemoryPaths:N0}-path run");
        text.AppendLine();
        text.AppendLine("| Commit (journal on) | p50 | p99 | max |");
        text.AppendLine("|---|---:|---:|---:|");
        foreach (var (name, latency) in CommitLatency)
        {
            text.AppendLine(culture, $"| {name} | {latency.P50:F1} µs | {latency.P99:F1} µs | {latency.Max:F0} µs |");
        }

        return text.ToString();

        void Row(string name, Throughput run) => text.AppendLine(culture,
            $"| {name} | {run.Requests:N0} | {run.PerSecond:N0} | {run.PerSecond / Naive.PerSecond:F1}× | {run.PerSecond / Wrk.PerSecond:P0} |");
    }

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:F0} MB";
}
