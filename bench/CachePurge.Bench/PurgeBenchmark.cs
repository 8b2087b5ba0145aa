using System.Diagnostics;
using CachePurge.Core;
using CachePurge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CachePurge.Bench;

/// <summary>
/// Every row of the report is measured in one run, against one Varnish started here, so that the
/// ratios compare like with like on a noisy machine.
/// </summary>
internal sealed class PurgeBenchmark : IAsyncDisposable
{
    private const string Host = "www.example.com";

    private readonly BenchSettings _settings;
    private readonly TestOrigin _origin;
    private readonly VarnishServer _varnish;
    private readonly ServiceProvider _services;
    private readonly string _directory = Directory.CreateTempSubdirectory("cachepurge-bench-").FullName;

    private PurgeBenchmark(BenchSettings settings, TestOrigin origin, VarnishServer varnish)
    {
        _settings = settings;
        _origin = origin;
        _varnish = varnish;
        _services = new ServiceCollection().AddLogging().AddMetrics().AddCachePurgeHttpClient().Services.BuildServiceProvider();
    }

    public static async Task<PurgeBenchmark> StartAsync(BenchSettings settings)
    {
        var origin = await TestOrigin.StartAsync();
        // HTTP/2 on as well, for the engine's HTTP/2 row; HTTP/1.1 requests on the same port are served as without it.
        var varnish = await VarnishServer.StartAsync(origin, http2: true);
        return new PurgeBenchmark(settings, origin, varnish);
    }

    public async Task<BenchReport> RunAsync()
    {
        var report = new BenchReport(_settings, await VarnishVersionAsync());

        // Warm-up: a whole run of each contender first. The runtime keeps optimising hot code (tiered
        // JIT with dynamic PGO) for seconds; a site runs for days, so the steady state is what counts.
        await RunEngineAsync("warmup", _settings.Paths);
        await RunEngineAsync("warmup-h2", _settings.Paths, http2: true);
        await Baselines.ParallelAsync(_varnish.BaseUrl, Host, "warmup-parallel", _settings.Paths, _settings.Concurrency);
        await Baselines.SequentialAsync(_varnish.BaseUrl, Host, "warmup-seq", 500, closeConnection: false);

        for (var round = 1; round <= _settings.Rounds; round++)
        {
            report.Naive.Add(await Baselines.SequentialAsync(_varnish.BaseUrl, Host, $"naive{round}", _settings.NaivePaths, closeConnection: true));
            report.KeepAlive.Add(await Baselines.SequentialAsync(_varnish.BaseUrl, Host, $"keepalive{round}", _settings.NaivePaths * 2, closeConnection: false));
            report.ParallelHttpClient.Add(await Baselines.ParallelAsync(_varnish.BaseUrl, Host, $"parallel{round}", _settings.Paths, _settings.Concurrency));
            var (engine, peak) = await RunEngineAsync($"engine{round}", _settings.Paths);
            report.Engine.Add(engine);
            report.EnginePeakWorkingSet = Math.Max(report.EnginePeakWorkingSet, peak);
            report.EngineHttp2.Add((await RunEngineAsync($"engine-h2{round}", _settings.Paths, http2: true)).Rate);
            report.Wrk.Add(await WrkRunner.RunAsync(_varnish.BaseUrl, Host, $"wrk{round}", _settings.WrkDuration, connections: 32, _directory));
        }

        foreach (var size in new[] { 1, 10, 1_000 })
        {
            report.CommitLatency[$"batch of {size:N0}, back to back"] = await MeasureCommitLatencyAsync(size, iterations: size == 1_000 ? 300 : 5_000, perSecond: 0);
        }

        // Editors publish a few items a second, not thousands: the same commits at a pace the engine keeps up with.
        foreach (var size in new[] { 1, 10 })
        {
            report.CommitLatency[$"batch of {size:N0}, 200 commits/s"] = await MeasureCommitLatencyAsync(size, iterations: 2_000, perSecond: 200);
        }

        var (million, millionPeak) = await RunEngineAsync("million", _settings.MemoryPaths);
        report.Million.Add(million);
        report.MillionPeakWorkingSet = millionPeak;
        return report;
    }

    public async Task<string> RunEngineOnlyAsync()
    {
        await RunEngineAsync("warmup", _settings.Paths);
        await Baselines.ParallelAsync(_varnish.BaseUrl, Host, "warmup-parallel", _settings.Paths, _settings.Concurrency);
        // CPU time per request tells the two apart better than the rate, which moves with whatever else runs.
        var before = GC.GetTotalAllocatedBytes();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var plain = await Baselines.ParallelAsync(_varnish.BaseUrl, Host, "parallel", _settings.Paths, _settings.Concurrency);
        Console.WriteLine($"plain: {plain.PerSecond:N0}/s, {CpuPerRequest(ref cpu):F1} µs of CPU and {(GC.GetTotalAllocatedBytes() - before) / _settings.Paths} B per request");
        before = GC.GetTotalAllocatedBytes();
        var (rate, peak) = await RunEngineAsync("engine", _settings.Paths);
        Console.WriteLine($"engine: {CpuPerRequest(ref cpu):F1} µs of CPU and {(GC.GetTotalAllocatedBytes() - before) / _settings.Paths} B per purge");
        return $"engine: {rate.Requests:N0} purges in {rate.Elapsed.TotalSeconds:F2} s = {rate.PerSecond:N0}/s, peak working set {peak / 1024 / 1024} MB, " +
            $"GCs gen0/1/2: {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, allocated {GC.GetTotalAllocatedBytes() / 1024 / 1024} MB";
    }

    public async ValueTask DisposeAsync()
    {
        await _varnish.DisposeAsync();
        await _origin.DisposeAsync();
        await _services.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>Commits <paramref name="count"/> distinct paths in batches of 100 and waits until Varnish acknowledged them all.</summary>
    private async Task<(Throughput Rate, long PeakWorkingSet)> RunEngineAsync(string name, int count, bool http2 = false)
    {
        await using var dispatcher = CreateDispatcher(name, http2);
        using var sampler = new WorkingSetSampler();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i += 100)
        {
            var batch = dispatcher.CreateBatch();
            for (var n = i; n < Math.Min(i + 100, count); n++)
            {
                batch.AddUrl($"/bench/{name}/{n}");
            }

            batch.Commit();
        }

        await dispatcher.WhenIdleAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);
        var failed = dispatcher.GetRecentResults().Count(r => r.Outcome is not (PurgeOutcome.Purged or PurgeOutcome.NotCached));
        if (failed > 0)
        {
            throw new InvalidOperationException($"{name}: {failed} purges failed; the run does not count.");
        }

        return (new Throughput(count, elapsed), sampler.Peak);
    }

    private async Task<LatencyPercentiles> MeasureCommitLatencyAsync(int batchSize, int iterations, int perSecond)
    {
        await using var dispatcher = CreateDispatcher($"commit{batchSize}-{perSecond}");
        var pace = perSecond > 0 ? TimeSpan.FromSeconds(1.0 / perSecond) : TimeSpan.Zero;
        var start = Stopwatch.GetTimestamp();
        var samples = new double[iterations];
        var paths = Enumerable.Range(0, batchSize).ToArray();
        for (var i = 0; i < iterations; i++)
        {
            var batch = dispatcher.CreateBatch();
            foreach (var n in paths)
            {
                batch.AddUrl($"/bench/commit{batchSize}-{perSecond}/{i}/{n}");
            }

            var due = pace * i - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due);
            }

            var started = Stopwatch.GetTimestamp();
            batch.Commit();
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }

        await dispatcher.WhenIdleAsync();
        return LatencyPercentiles.From(samples);
    }

    private PurgeDispatcher CreateDispatcher(string name, bool http2 = false)
    {
        var options = new CachePurgeOptions
        {
            SiteHosts = [Host],
            JournalPath = Path.Combine(_directory, name + ".db"),
            EscalationThreshold = 0,
            Endpoints = [new CacheEndpoint { Name = "varnish", BaseUrl = _varnish.BaseUrl.ToString(), Kind = CacheKind.Varnish, MaxConcurrency = _settings.Concurrency, Http2 = http2 }],
        };
        var dispatcher = new PurgeDispatcher(name, options, _services.GetRequiredService<IHttpClientFactory>());
        dispatcher.Start();
        return dispatcher;
    }

    private async Task<string> VarnishVersionAsync()
    {
        var info = new ProcessStartInfo(_varnish.ExecutablePath, "-V") { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(info)!;
        var text = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return text.Split('\n')[0].Trim();
    }

    private double CpuPerRequest(ref TimeSpan since)
    {
        var now = Process.GetCurrentProcess().TotalProcessorTime;
        var perRequest = (now - since).TotalMicroseconds / _settings.Paths;
        since = now;
        return perRequest;
    }
}
