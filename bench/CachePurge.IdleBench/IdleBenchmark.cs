using System.Diagnostics;
using System.Globalization;
using System.Text;
using CachePurge.Core;
using CachePurge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CachePurge.IdleBench;

/// <summary>
/// One engine per tenant, as a multi-tenant host runs them, each with a journal on disk and two caches (one rate-limited),
/// each having published once; then all idle. Measured in the same process against the same process before the
/// engines: CPU while idle, working set, timers and open files; then how fast one publish on an idle engine is
/// acknowledged.
/// </summary>
internal sealed class IdleBenchmark(int engines, TimeSpan window, int publishes)
{
    public async Task<string> RunAsync()
    {
        await using var origin = await TestOrigin.StartAsync();
        var services = new ServiceCollection();
        services.AddCachePurgeHttpClient();
        using var provider = services.BuildServiceProvider();
        var httpClients = provider.GetRequiredService<IHttpClientFactory>();
        var folder = Directory.CreateTempSubdirectory("cachepurge-idlebench-").FullName;
        List<PurgeDispatcher> running = [];
        try
        {
            // Warm-up: the HTTP stack and the engine's code, so that neither counts as a tenant's cost.
            await using (var warm = Start(-1))
            {
                await PublishAsync(warm, "/warm-up");
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
            var baselineStart = ProcessSample.Take();
            await Task.Delay(window);
            var baselineEnd = ProcessSample.Take();

            for (var i = 0; i < engines; i++)
            {
                var engine = Start(i);
                running.Add(engine);
                await PublishAsync(engine, $"/tenant-{i}/home");
            }

            // Idle from here: each engine's journal stops about a second after its last write.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var idleStart = ProcessSample.Take();
            await Task.Delay(window);
            var idleEnd = ProcessSample.Take();

            List<double> acknowledged = [];
            var random = new Random(7);
            for (var i = 0; i < publishes; i++)
            {
                // Each on an engine idle for at least a second: woken by the publish.
                await Task.Delay(TimeSpan.FromMilliseconds(1200));
                acknowledged.Add(await PublishAsync(running[random.Next(running.Count)], $"/again/{i}"));
            }

            return Report(baselineStart, baselineEnd, idleStart, idleEnd, acknowledged);
        }
        finally
        {
            foreach (var engine in running)
            {
                await engine.DisposeAsync();
            }

            Directory.Delete(folder, recursive: true);
        }

        PurgeDispatcher Start(int tenant)
        {
            var options = new CachePurgeOptions
            {
                SiteHosts = ["www.example.com"],
                JournalPath = Path.Combine(folder, $"tenant-{tenant}.db"),
                Endpoints =
                [
                    // The origin stands in for the caches (a GET answered 200): idle, what they are does not matter.
                    new CacheEndpoint { Name = "cache", BaseUrl = origin.BaseUrl.ToString(), Kind = CacheKind.Generic, Method = "GET" },
                    new CacheEndpoint { Name = "paced", BaseUrl = origin.BaseUrl.ToString(), Kind = CacheKind.Generic, Method = "GET", RequestsPerSecond = 100 },
                ],
            };
            var engine = new PurgeDispatcher($"tenant-{tenant}", options, httpClients);
            engine.Start();
            return engine;
        }
    }

    /// <summary>Commits one path and returns the milliseconds until both caches acknowledged it.</summary>
    private static async Task<double> PublishAsync(PurgeDispatcher engine, string path)
    {
        var started = Stopwatch.GetTimestamp();
        var batch = engine.CreateBatch();
        batch.AddUrl(path);
        batch.Commit();
        while (engine.GetPendingCounts().Values.Sum() > 0)
        {
            if (Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"{path} was not acknowledged within 30 s.");
            }

            await Task.Delay(1);
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private string Report(ProcessSample baselineStart, ProcessSample baselineEnd, ProcessSample idleStart, ProcessSample idleEnd, List<double> acknowledged)
    {
        var off = baselineEnd.CoreShareSince(baselineStart);
        var on = idleEnd.CoreShareSince(idleStart);
        acknowledged.Sort();
        var p50 = acknowledged[acknowledged.Count / 2];
        var p95 = acknowledged[(int)Math.Ceiling(acknowledged.Count * 0.95) - 1];
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"CachePurge idle benchmark, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        text.AppendLine(culture, $"{engines} engines (journal on disk, two caches (the origin standing in), one limited to 100 requests/s), each published once, then idle; {window.TotalSeconds:0} s windows");
        text.AppendLine();
        text.AppendLine("| | no engines | engines idle | difference | per engine |");
        text.AppendLine("|---|---:|---:|---:|---:|");
        text.AppendLine(culture, $"| CPU, % of one core | {off * 100:0.000} | {on * 100:0.000} | {(on - off) * 100:0.000} | |");
        text.AppendLine(culture, $"| working set, MB | {Mb(baselineEnd.WorkingSet)} | {Mb(idleEnd.WorkingSet)} | {Mb(idleEnd.WorkingSet - baselineEnd.WorkingSet)} | {Kb((idleEnd.WorkingSet - baselineEnd.WorkingSet) / engines)} KB |");
        text.AppendLine(culture, $"| managed heap, MB | {Mb(baselineEnd.ManagedHeap)} | {Mb(idleEnd.ManagedHeap)} | {Mb(idleEnd.ManagedHeap - baselineEnd.ManagedHeap)} | {Kb((idleEnd.ManagedHeap - baselineEnd.ManagedHeap) / engines)} KB |");
        text.AppendLine(culture, $"| active timers | {baselineEnd.Timers} | {idleEnd.Timers} | {idleEnd.Timers - baselineEnd.Timers} | |");
        text.AppendLine(culture, $"| open files | {baselineEnd.OpenFiles} | {idleEnd.OpenFiles} | {idleEnd.OpenFiles - baselineEnd.OpenFiles} | |");
        text.AppendLine();
        text.AppendLine(culture, $"One publish on an idle engine, acknowledged by both caches: p50 {p50:0.0} ms, p95 {p95:0.0} ms ({acknowledged.Count} publishes).");
        return text.ToString();

        static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);
        static string Kb(long bytes) => (bytes / 1024.0).ToString("0", CultureInfo.InvariantCulture);
    }
}
