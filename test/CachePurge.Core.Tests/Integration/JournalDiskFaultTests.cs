using CachePurge.Core;
using CachePurge.Core.Journal;
using CachePurge.Core.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace CachePurge.Core.Tests.Integration;

/// <summary>
/// The disk under the journal fails, and no committed purge is lost: a full file system, a read-only one, a journal
/// deleted while the engine runs. The disks are real (a small tmpfs), and so is the cache that must see every purge.
/// </summary>
[Collection(VarnishCollection.Name)]
public sealed class JournalDiskFaultTests(VarnishFixture varnish) : IDisposable
{
    private readonly string _prefix = $"/disk/{Guid.NewGuid():N}";
    private readonly FakeLogCollector _logs = new();
    private readonly List<IDisposable> _cleanup = [];

    public void Dispose()
    {
        // Last in, first out: the engines' loggers before the file systems they wrote to.
        for (var i = _cleanup.Count - 1; i >= 0; i--)
        {
            _cleanup[i].Dispose();
        }
    }

    [Fact]
    public async Task Purges_committed_while_the_disk_is_full_are_all_sent_after_a_restart()
    {
        var disk = Mount();
        var options = Options(disk.Path);
        await varnish.Cache.StopAsync();
        try
        {
            var first = Start(options);
            Commit(first, 0, 500);
            await Task.Delay(500); // in SQLite by now: the flush runs every 100 ms

            disk.Fill();
            Commit(first, 500, 2_500);
            await Task.Delay(1_500); // several flushes refused

            disk.Free();
            Commit(first, 2_500, 3_000);
            await first.DisposeAsync();
        }
        finally
        {
            await varnish.Cache.StartAsync();
        }

        var sample = await WarmAsync(0, 499, 500, 1_500, 2_499, 2_500, 2_999);
        await using var second = Start(options);
        await second.DrainAsync(seconds: 60);

        await AssertEvictedAsync(sample);
        AssertPurged(second, Enumerable.Range(0, 3_000).Select(Path));
    }

    [Fact]
    public async Task While_the_disk_is_full_the_engine_says_since_when_and_how_many_purges_wait_in_memory()
    {
        var disk = Mount();
        var options = Options(disk.Path, DispatcherFactory.Endpoint("down", new Uri($"http://127.0.0.1:{FreePort.Next()}")));
        await using var engine = Start(options);
        Assert.True(engine.GetJournalStatus().IsWritable);

        disk.Fill();
        var filled = DateTimeOffset.UtcNow;
        Commit(engine, 0, 200);

        await Eventually.WaitUntilAsync(() => !engine.GetJournalStatus().IsWritable, 10);
        var status = engine.GetJournalStatus();
        Assert.InRange(status.NotWritableSince!.Value, filled.AddSeconds(-1), DateTimeOffset.UtcNow);
        Assert.Contains("full", status.Problem);
        Assert.Equal(200, status.UnsavedPurges);

        disk.Free();
        await Eventually.WaitUntilAsync(() => engine.GetJournalStatus().IsWritable, 10);
        Assert.Equal(0, engine.GetJournalStatus().UnsavedPurges);
        var recovered = Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == 4114);
        Assert.Contains("200", recovered.Message);
    }

    [Fact]
    public async Task A_journal_write_failing_on_every_flush_is_logged_once_with_a_count()
    {
        var disk = Mount();
        var options = Options(disk.Path, DispatcherFactory.Endpoint("down", new Uri($"http://127.0.0.1:{FreePort.Next()}")));
        await using var engine = Start(options);

        disk.Fill();
        for (var i = 0; i < 30; i++)
        {
            Commit(engine, i * 10, (i * 10) + 10);
            await Task.Delay(100);
        }

        // Three seconds of refused writes, each tried again: one line, then silence until the interval is over.
        var failures = _logs.GetSnapshot().Where(r => r.Id.Id == 4108).ToList();
        var failure = Assert.Single(failures);
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.Contains(options.JournalPath!, failure.Message);
        disk.Free();
    }

    [Fact]
    public async Task Purges_kept_in_memory_beyond_the_bound_become_one_ban_and_nothing_is_left_unsent()
    {
        var disk = Mount();
        await using var cache = await ScriptedCacheServer.StartAsync();
        cache.Respond = _ => 503;
        var options = Options(disk.Path, DispatcherFactory.Endpoint("varnish", cache.BaseUrl));
        options.MaxPendingInMemory = 100;
        options.RedeliveryDelay = TimeSpan.FromMilliseconds(200);
        options.MaxRedeliveryDelay = TimeSpan.FromMilliseconds(200);
        await using var engine = Start(options);

        disk.Fill();
        Commit(engine, 0, 400);
        await Eventually.WaitUntilAsync(() => _logs.GetSnapshot().Any(r => r.Id.Id == 4116), 10);
        // Zero once the one purge of everything fits where the write-ahead log already has room: SQLite reuses it.
        Assert.InRange(engine.GetJournalStatus().UnsavedPurges, 0, 101);

        cache.Respond = _ => 200;
        await engine.DrainAsync();
        Assert.Contains(cache.Requests, r => r.Method == "BAN");
        disk.Free();
    }

    [Fact]
    public async Task An_engine_on_a_read_only_journal_folder_starts_sends_from_memory_and_saves_its_purges_once_it_can()
    {
        var disk = Mount();
        disk.MakeReadOnly();
        var options = Options(disk.Path);

        var first = Start(options);
        var status = first.GetJournalStatus();
        Assert.False(status.IsWritable);
        Assert.Contains("read-only", status.Problem);
        var error = Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == 4113);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains(options.JournalPath!, error.Message);
        Assert.Contains("read-only", error.Message);
        Assert.DoesNotContain(_logs.GetSnapshot(), r => r.Id.Id == 4107); // nothing was set aside

        // Sent from memory.
        var sent = await WarmAsync(0);
        Commit(first, 0, 1);
        await first.DrainAsync();
        await AssertEvictedAsync(sent);

        // Kept in memory while the cache is down, then saved when the folder takes writes again.
        await varnish.Cache.StopAsync();
        try
        {
            Commit(first, 1, 11);
            disk.MakeWritable();
            await Eventually.WaitUntilAsync(() => first.GetJournalStatus().IsWritable, 10);
            await first.DisposeAsync();
        }
        finally
        {
            await varnish.Cache.StartAsync();
        }

        Assert.True(File.Exists(options.JournalPath));
        var kept = await WarmAsync(1, 5, 10);
        await using var second = Start(options);
        await second.DrainAsync();
        await AssertEvictedAsync(kept);
        AssertPurged(second, Enumerable.Range(1, 10).Select(Path));
    }

    [Fact]
    public async Task A_journal_deleted_under_a_running_engine_is_made_again_with_every_pending_purge()
    {
        var directory = Directory.CreateTempSubdirectory("cachepurge-deleted-").FullName;
        _cleanup.Add(new DeleteDirectory(directory));
        var options = Options(directory);
        await varnish.Cache.StopAsync();
        try
        {
            var first = Start(options);
            Commit(first, 0, 200);
            await Task.Delay(500);

            foreach (var file in Directory.GetFiles(directory, "journal.db*").Where(f => !f.Contains(".commits-", StringComparison.Ordinal)))
            {
                File.Delete(file);
            }

            // The engine notices within a second or two; the test judges by what the cache sees in the end.
            for (var i = 0; i < 100 && !File.Exists(options.JournalPath); i++)
            {
                await Task.Delay(100);
            }

            Commit(first, 200, 300);
            await first.DisposeAsync();
        }
        finally
        {
            await varnish.Cache.StartAsync();
        }

        var sample = await WarmAsync(0, 199, 200, 299);
        await using var second = Start(options);
        await second.DrainAsync(seconds: 30);

        await AssertEvictedAsync(sample);
        AssertPurged(second, Enumerable.Range(0, 300).Select(Path));
        var error = Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == 4115);
        Assert.Equal(LogLevel.Error, error.Level);
        Assert.Contains("deleted", error.Message);
    }

    [Fact]
    public async Task A_journal_replaced_under_a_running_engine_is_merged_with_every_pending_purge_of_both()
    {
        var directory = Directory.CreateTempSubdirectory("cachepurge-replaced-").FullName;
        _cleanup.Add(new DeleteDirectory(directory));
        var options = Options(directory);
        var other = Options(directory);
        other.JournalPath = System.IO.Path.Combine(directory, "other.db");
        await varnish.Cache.StopAsync();
        try
        {
            var first = Start(options);
            Commit(first, 0, 100);

            // Another engine's journal, with purges of its own still pending, renamed over the running engine's file.
            var second = Start(other);
            Commit(second, 100, 150);
            await second.DisposeAsync();
            File.Move(other.JournalPath!, options.JournalPath!, overwrite: true);

            await Eventually.WaitUntilAsync(() => _logs.GetSnapshot().Any(r => r.Id.Id == 4115), 10);
            Commit(first, 150, 200);
            await first.DisposeAsync();
        }
        finally
        {
            await varnish.Cache.StartAsync();
        }

        var sample = await WarmAsync(0, 99, 100, 149, 150, 199);
        await using var third = Start(options);
        await third.DrainAsync(seconds: 30);

        await AssertEvictedAsync(sample);
        AssertPurged(third, Enumerable.Range(0, 200).Select(Path));
        Assert.Contains("replaced by another file", Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == 4115).Message);
    }

    private SmallFileSystem Mount()
    {
        var disk = SmallFileSystem.Mount(megabytes: 16);
        _cleanup.Add(disk);
        return disk;
    }

    private CachePurgeOptions Options(string directory, CacheEndpoint? endpoint = null)
    {
        var options = DispatcherFactory.Options(endpoint ?? DispatcherFactory.Endpoint("varnish", varnish.Cache.BaseUrl));
        options.JournalPath = System.IO.Path.Combine(directory, "journal.db");
        options.EscalationThreshold = 0;
        options.RecentResultsCapacity = 20_000;
        options.DrainTimeout = TimeSpan.FromMilliseconds(200);
        options.RedeliveryDelay = TimeSpan.FromSeconds(5);
        options.MaxRedeliveryDelay = TimeSpan.FromSeconds(5);
        options.Endpoints[0].MaxConcurrency = 16;
        return options;
    }

    private PurgeDispatcher Start(CachePurgeOptions options)
    {
        var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(new FakeLoggerProvider(_logs)));
        _cleanup.Add(loggerFactory);
        var dispatcher = new PurgeDispatcher("test", options, DispatcherFactory.HttpClientFactory, loggerFactory);
        _cleanup.Add(new StopEngine(dispatcher)); // a test that fails before stopping it leaves no engine running
        dispatcher.Start();
        return dispatcher;
    }

    private string Path(int i) => $"{_prefix}/{i}";

    /// <summary>Commits paths <paramref name="from"/> to <paramref name="to"/> (excluded) in batches of ten, as editors' requests would.</summary>
    private void Commit(PurgeDispatcher dispatcher, int from, int to)
    {
        for (var i = from; i < to; i += 10)
        {
            dispatcher.Commit([.. Enumerable.Range(i, Math.Min(10, to - i)).Select(Path)]);
        }
    }

    private async Task<Dictionary<string, string>> WarmAsync(params int[] paths)
    {
        var sample = new Dictionary<string, string>();
        foreach (var i in paths)
        {
            sample[Path(i)] = await CachedPage.WarmAsync(varnish.Client, varnish.Cache, Path(i));
        }

        return sample;
    }

    private async Task AssertEvictedAsync(Dictionary<string, string> sample)
    {
        foreach (var (path, body) in sample)
        {
            await CachedPage.AssertEvictedAsync(varnish.Client, varnish.Cache, path, body);
        }
    }

    private static void AssertPurged(PurgeDispatcher dispatcher, IEnumerable<string> paths)
    {
        var purged = dispatcher.GetRecentResults().Where(r => r.Outcome == PurgeOutcome.Purged).Select(r => r.Target).ToHashSet();
        var missing = paths.Where(p => !purged.Contains(p)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} committed paths never purged, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.Equal(0, dispatcher.GetPendingCounts().Values.Sum());
    }

    private sealed class DeleteDirectory(string path) : IDisposable
    {
        public void Dispose() => Directory.Delete(path, recursive: true);
    }

    /// <summary>Stops an engine at the end of the test; one the test stopped already returns at once.</summary>
    private sealed class StopEngine(PurgeDispatcher engine) : IDisposable
    {
        public void Dispose() => engine.StopAsync(TimeSpan.Zero).AsTask().GetAwaiter().GetResult();
    }
}
