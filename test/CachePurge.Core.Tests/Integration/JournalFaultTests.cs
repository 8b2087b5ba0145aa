using CachePurge.Testing;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using CachePurge.Core;
using CachePurge.Core.Dispatching;
using CachePurge.Core.Journal;
using CachePurge.Core.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CachePurge.Core.Tests.Integration;

/// <summary>Nothing committed is ever lost: a cache that is down, a restart, a killed process, a broken journal.</summary>
[Collection(VarnishCollection.Name)]
public sealed class JournalFaultTests(VarnishFixture varnish) : IDisposable
{
    private const int PathCount = 1_000;
    private readonly string _prefix = $"/fault/{Guid.NewGuid():N}";
    private readonly string _directory = Directory.CreateTempSubdirectory("cachepurge-journal-").FullName;

    private string JournalPath => Path.Combine(_directory, "journal.db");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Varnish_stopped_while_1000_paths_are_committed_gets_every_purge_when_it_starts()
    {
        var delivered = CountPurgedRequests(out var listener);
        using (listener)
        {
            // The engine's clock stands still until the sample is cached behind the restarted Varnish: purges that the
            // open circuit holds back, or that wait for redelivery, go out only as the test moves the clock on.
            var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
            var options = JournalOptions();
            options.RetryAttempts = 0;
            options.RedeliveryDelay = TimeSpan.FromSeconds(4);
            options.MaxRedeliveryDelay = TimeSpan.FromSeconds(4);
            await using var dispatcher = DispatcherFactory.Start(options, time);

            await varnish.Cache.StopAsync();
            try
            {
                CommitAll(dispatcher);
                await Eventually.WaitUntilAsync(() => dispatcher.GetRecentResults().Count(r => r.Outcome == PurgeOutcome.Failed) >= CircuitBreaker.MinimumThroughput, 30);
            }
            finally
            {
                await varnish.Cache.StartAsync();
            }

            var sample = await WarmSampleAsync();
            await DrainWhileTheClockMovesAsync(dispatcher, time, seconds: 60);

            await AssertSampleEvictedAsync(sample);
            AssertEveryPathPurged(dispatcher);
            Assert.True(delivered() >= PathCount, $"cachepurge.requests with outcome Purged: {delivered()}");
        }
    }

    [Fact]
    public async Task A_restart_while_varnish_is_down_loses_nothing()
    {
        await varnish.Cache.StopAsync();
        try
        {
            var first = DispatcherFactory.Start(JournalOptions());
            CommitAll(first);
            await first.DisposeAsync();
        }
        finally
        {
            await varnish.Cache.StartAsync();
        }

        var sample = await WarmSampleAsync();
        await using var second = DispatcherFactory.Start(JournalOptions());
        await second.DrainAsync(seconds: 60);

        await AssertSampleEvictedAsync(sample);
        AssertEveryPathPurged(second);
    }

    [Fact]
    public async Task A_process_killed_mid_stream_loses_no_committed_purge()
    {
        var deadCache = $"http://127.0.0.1:{FreePort.Next()}";
        var committed = await RunCommitterUntilKilledAsync(deadCache, minimumCommits: 300);

        var sample = new Dictionary<string, string>();
        foreach (var i in new[] { 0, 1, committed / 2, committed - 1, committed })
        {
            sample[$"{_prefix}/{i}"] = await CachedPage.WarmAsync(varnish.Client, varnish.Cache, $"{_prefix}/{i}");
        }

        await using var dispatcher = DispatcherFactory.Start(JournalOptions());
        await dispatcher.DrainAsync(seconds: 60);

        await AssertSampleEvictedAsync(sample);
        var purged = dispatcher.GetRecentResults().Where(r => r.Outcome == PurgeOutcome.Purged).Select(r => r.Target).ToHashSet();
        var missing = Enumerable.Range(0, committed + 1).Select(i => $"{_prefix}/{i}").Where(p => !purged.Contains(p)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {committed + 1} committed purges lost, e.g. {string.Join(", ", missing.Take(5))}");
    }

    [Fact]
    public async Task A_process_killed_while_its_cache_acknowledges_half_the_purges_loses_none_of_the_other_half()
    {
        // Purges acknowledged before a save are taken out of the commits it writes: the others must survive the kill,
        // whether the kill came before their save (the commit log has them) or after it (SQLite has them).
        await using var cache = await ScriptedCacheServer.StartAsync();
        // Only the even paths are acknowledged. A purge of everything (the committer escalates to one above 500 pending
        // paths) is refused too: acknowledged, it would rightly cover every path committed before it.
        cache.Respond = request => PathNumber(request.PathAndQuery) is var n && n >= 0 && n % 2 == 0 ? 200 : 403;
        var committed = await RunCommitterUntilKilledAsync(
            cache.BaseUrl.ToString().TrimEnd('/'),
            minimumCommits: 300,
            until: () => cache.Requests.Count(r => PathNumber(r.PathAndQuery) % 2 == 0) >= 100);

        var options = JournalOptions();
        options.RecentResultsCapacity = committed + 1_000; // every purge of the next engine, to look each one up
        await using var dispatcher = DispatcherFactory.Start(options);
        await dispatcher.DrainAsync(seconds: 60);

        var purged = dispatcher.GetRecentResults().Where(r => r.Outcome == PurgeOutcome.Purged).Select(r => r.Target).ToHashSet();
        var missing = Enumerable.Range(0, committed + 1).Where(i => i % 2 == 1).Select(i => $"{_prefix}/{i}").Where(p => !purged.Contains(p)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of the {(committed + 1) / 2} purges the cache refused were lost, e.g. {string.Join(", ", missing.Take(5))}");
    }

    [Fact]
    public async Task A_corrupt_journal_is_set_aside_with_an_error_and_purging_goes_on()
    {
        await File.WriteAllBytesAsync(JournalPath, [.. Enumerable.Range(0, 8_192).Select(i => (byte)(i * 37))]);
        var path = _prefix + "/after-corruption";
        var cached = await CachedPage.WarmAsync(varnish.Client, varnish.Cache, path);
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(new FakeLoggerProvider(logs)));

        await using (var dispatcher = new PurgeDispatcher("test", JournalOptions(), DispatcherFactory.HttpClientFactory, loggerFactory))
        {
            dispatcher.Start();
            dispatcher.Commit(path);
            await dispatcher.DrainAsync();
        }

        await CachedPage.AssertEvictedAsync(varnish.Client, varnish.Cache, path, cached);
        var error = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 4107);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains(JournalPath, error.Message);
        Assert.Single(Directory.GetFiles(_directory, "journal.db.corrupt-*"));
    }

    [Fact]
    public async Task A_damaged_commit_log_left_by_a_dead_engine_gives_up_its_good_commits_with_an_error()
    {
        var good = _prefix + "/logged-before-the-damage";
        var cached = await CachedPage.WarmAsync(varnish.Client, varnish.Cache, good);
        var damaged = CommitRecord.Encode(new LoggedCommit(2, DateTimeOffset.UtcNow, [("varnish", PurgeTarget.ForPath(_prefix + "/damaged"))]));
        damaged[CommitRecord.HeaderBytes + 2] ^= 0xFF; // inside the sequence number
        await File.WriteAllBytesAsync(JournalPath + ".commits-dead-0", [.. CommitRecord.Encode(new LoggedCommit(1, DateTimeOffset.UtcNow, [("varnish", PurgeTarget.ForPath(good))])), .. damaged]);
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(new FakeLoggerProvider(logs)));

        await using (var dispatcher = new PurgeDispatcher("test", JournalOptions(), DispatcherFactory.HttpClientFactory, loggerFactory))
        {
            dispatcher.Start();
            await dispatcher.DrainAsync();
        }

        await CachedPage.AssertEvictedAsync(varnish.Client, varnish.Cache, good, cached);
        var error = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 4112);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Empty(Directory.GetFiles(_directory, "journal.db.commits-dead-*"));
    }

    private CachePurgeOptions JournalOptions()
    {
        var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("varnish", varnish.Cache.BaseUrl));
        options.JournalPath = JournalPath;
        options.EscalationThreshold = 0;
        options.RecentResultsCapacity = 20_000;
        options.DrainTimeout = TimeSpan.FromMilliseconds(200);
        options.Endpoints[0].MaxConcurrency = 16;
        return options;
    }

    private static async Task DrainWhileTheClockMovesAsync(PurgeDispatcher dispatcher, FakeTimeProvider time, int seconds)
    {
        var waited = Stopwatch.StartNew();
        while (dispatcher.GetPendingCounts().Values.Sum() > 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(seconds), $"Purges still pending after {seconds} s: {string.Join(", ", dispatcher.GetPendingCounts())}");
            time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(20);
        }
    }

    private void CommitAll(PurgeDispatcher dispatcher)
    {
        for (var i = 0; i < PathCount; i += 10)
        {
            dispatcher.Commit([.. Enumerable.Range(i, 10).Select(n => $"{_prefix}/{n}")]);
        }
    }

    private async Task<Dictionary<string, string>> WarmSampleAsync()
    {
        var sample = new Dictionary<string, string>();
        foreach (var i in new[] { 0, 1, 499, 500, 998, 999 })
        {
            sample[$"{_prefix}/{i}"] = await CachedPage.WarmAsync(varnish.Client, varnish.Cache, $"{_prefix}/{i}");
        }

        return sample;
    }

    private async Task AssertSampleEvictedAsync(Dictionary<string, string> sample)
    {
        foreach (var (path, body) in sample)
        {
            await CachedPage.AssertEvictedAsync(varnish.Client, varnish.Cache, path, body);
        }
    }

    private void AssertEveryPathPurged(PurgeDispatcher dispatcher)
    {
        var purged = dispatcher.GetRecentResults().Where(r => r.Outcome == PurgeOutcome.Purged).Select(r => r.Target).ToHashSet();
        var missing = Enumerable.Range(0, PathCount).Select(n => $"{_prefix}/{n}").Where(p => !purged.Contains(p)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} paths never purged, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.Equal(0, dispatcher.GetPendingCounts()["varnish"]);
    }

    /// <summary>Runs the committer process against a cache, kills it with SIGKILL once it reported <paramref name="minimumCommits"/> and <paramref name="until"/> holds, and returns the last commit it reported.</summary>
    private async Task<int> RunCommitterUntilKilledAsync(string cacheUrl, int minimumCommits, Func<bool>? until = null)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "CachePurge.Committer.dll"));
        info.ArgumentList.Add(JournalPath);
        info.ArgumentList.Add(cacheUrl);
        info.ArgumentList.Add(_prefix);
        using var process = Process.Start(info)!;
        var last = -1;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (last < minimumCommits || until?.Invoke() == false)
            {
                var line = await process.StandardOutput.ReadLineAsync(timeout.Token)
                    ?? throw new InvalidOperationException("The committer exited: " + await process.StandardError.ReadToEndAsync());
                last = int.Parse(line["committed ".Length..]);
            }
        }
        finally
        {
            // Also when the test fails: a committer left running commits forever into a journal no one deletes.
            process.Kill(); // SIGKILL on Unix: no drain, no flush, no dispose.
            await process.WaitForExitAsync();
        }

        // Anything printed after our last read was committed too: read what is left in the pipe.
        while (await process.StandardOutput.ReadLineAsync() is { } rest)
        {
            if (rest.StartsWith("committed ", StringComparison.Ordinal) && int.TryParse(rest["committed ".Length..], out var n))
            {
                last = n;
            }
        }

        return last;
    }

    /// <summary>The number a committer's path ends with; -1 for any other request.</summary>
    private static int PathNumber(string pathAndQuery) => int.TryParse(pathAndQuery[(pathAndQuery.LastIndexOf('/') + 1)..], out var number) ? number : -1;

    private static Func<long> CountPurgedRequests(out MeterListener listener)
    {
        long purged = 0;
        listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "CachePurge" && instrument.Name == "cachepurge.requests")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "cachepurge.outcome" && (string?)tag.Value == nameof(PurgeOutcome.Purged))
                {
                    Interlocked.Add(ref purged, value);
                }
            }
        });
        listener.Start();
        return () => Interlocked.Read(ref purged);
    }
}
