using System.Globalization;
using System.Text;

namespace CachePurge.Bench;

/// <summary>The one table the benchmark prints, with ratios computed from rows of the same run.</summary>
internal sealed class BenchReport(BenchSettings settings, string varnishVersion)
{
    public Samples Naive { get; } = new();
    public Samples KeepAlive { get; } = new();
    public Samples ParallelHttpClient { get; } = new();
    public Samples Wrk { get; } = new();
    public Samples Engine { get; } = new();
    public Samples EngineHttp2 { get; } = new();
    public long EnginePeakWorkingSet { get; set; }
    public Dictionary<string, LatencyPercentiles> CommitLatency { get; } = [];
    public Samples Million { get; } = new();
    public long MillionPeakWorkingSet { get; set; }

    public override string ToString()
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"CachePurge benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}, {varnishVersion}, {Environment.OSVersion}");
        text.AppendLine();
        text.AppendLine(culture, $"Each row is the median of {settings.Rounds} rounds; the rounds take turns, so that a slow spell of the machine hits every row alike.");
        text.AppendLine();
        text.AppendLine("| run | requests | purges/s (median) | range | vs naive | vs wrk |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        Row("naive: one at a time, new connection each (Connection: close)", Naive);
        Row("one at a time, one keep-alive connection", KeepAlive);
        Row($"plain HttpClient, {settings.Concurrency} in flight (no journal, no retries)", ParallelHttpClient);
        Row("wrk -t2 -c32, PURGE (loopback limit)", Wrk);
        Row($"**CachePurge engine**, concurrency {settings.Concurrency}, SQLite journal on", Engine);
        Row($"CachePurge engine, same, HTTP/2 (h2c, prior knowledge)", EngineHttp2);
        Row($"CachePurge engine, {settings.MemoryPaths:N0} paths (backlog in the journal)", Million);
        text.AppendLine();
        text.AppendLine(culture, $"- engine / naive: **{Engine.Median / Naive.Median:F1}×**; engine / wrk: **{Engine.Median / Wrk.Median:P0}**; engine / plain HttpClient: **{Engine.Median / ParallelHttpClient.Median:P0}**; engine over HTTP/2 / HTTP/1.1: {EngineHttp2.Median / Engine.Median:F2}×");
        text.AppendLine(culture, $"- peak working set: {Mb(EnginePeakWorkingSet)} during the {settings.Paths:N0}-path run; {Mb(MillionPeakWorkingSet)} during the {settings.MemoryPaths:N0}-path run");
        text.AppendLine();
        text.AppendLine("| Commit (journal on) | p50 | p99 | max |");
        text.AppendLine("|---|---:|---:|---:|");
        foreach (var (name, latency) in CommitLatency)
        {
            text.AppendLine(culture, $"| {name} | {latency.P50:F1} µs | {latency.P99:F1} µs | {latency.Max:F0} µs |");
        }

        return text.ToString();

        void Row(string name, Samples run) => text.AppendLine(culture,
            $"| {name} | {run.Requests:N0} | {run.Median:N0} | {run.Min:N0}–{run.Max:N0} | {run.Median / Naive.Median:F1}× | {run.Median / Wrk.Median:P0} |");
    }

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:F0} MB";
}
