using CachePurge.Core.Tests.Infrastructure;

namespace CachePurge.Core.Tests.Dispatching;

/// <summary>
/// An idle engine costs next to nothing (one per tenant on a multi-tenant host): once its purges are delivered, its
/// journal's timer stops and its commit log files are given back; the next commit wakes it and is as safe as ever.
/// </summary>
public sealed class IdleEngineTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cachepurge-idle-").FullName;
    private ScriptedCacheServer _cache = null!;

    public async Task InitializeAsync() => _cache = await ScriptedCacheServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _cache.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Once_everything_is_delivered_the_journal_stops_ticking_and_keeps_no_commit_files_and_a_new_commit_wakes_it()
    {
        var endpoint = DispatcherFactory.Endpoint("c", _cache.BaseUrl);
        endpoint.RequestsPerSecond = 100;
        var options = DispatcherFactory.Options(endpoint);
        options.JournalPath = Path.Combine(_directory, "journal.db");
        await using (var dispatcher = DispatcherFactory.Start(options))
        {
            dispatcher.Commit("/first");
            await dispatcher.DrainAsync();
            await Eventually.WaitUntilAsync(() => dispatcher.JournalIsIdle && CommitFiles().Length == 0, 10);

            // Woken: the commit is in a new commit file before Commit returns, then delivered, then idle again.
            _cache.Respond = _ => 503;
            dispatcher.Commit("/second");
            Assert.False(dispatcher.JournalIsIdle);
            Assert.Equal(2, CommitFiles().Length);

            // While a purge waits for its cache the journal holds it, so the engine goes idle without losing it.
            await Eventually.WaitUntilAsync(() => dispatcher.JournalIsIdle, 10);
            Assert.Equal(1, dispatcher.GetPendingCounts()["c"]);
        }

        // Stopped with the purge still waiting: the next engine has it from the journal and delivers it.
        var refused = _cache.Requests.Count(r => r.PathAndQuery == "/second");
        _cache.Respond = _ => 200;
        await using var next = DispatcherFactory.Start(options);
        await next.DrainAsync();
        Assert.True(_cache.Requests.Count(r => r.PathAndQuery == "/second") > refused);
    }

    [Fact]
    public async Task A_rate_limited_cache_is_still_paced_by_its_bucket_without_a_timer()
    {
        var endpoint = DispatcherFactory.Endpoint("c", _cache.BaseUrl);
        endpoint.RequestsPerSecond = 50;
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(endpoint));

        var started = DateTime.UtcNow;
        dispatcher.Commit([.. Enumerable.Range(0, 60).Select(i => $"/paced/{i}")]);
        await dispatcher.DrainAsync();
        var elapsed = DateTime.UtcNow - started;

        // A burst of a tenth of a second's worth (5), then 50 a second: the other 55 take at least about a second.
        Assert.True(elapsed >= TimeSpan.FromSeconds(0.9), $"60 purges at 50/s took {elapsed.TotalSeconds:0.00} s");
        Assert.Equal(60, _cache.Requests.Count(r => r.PathAndQuery.StartsWith("/paced/", StringComparison.Ordinal)));
    }

    private string[] CommitFiles() => Directory.GetFiles(_directory, "journal.db.commits-*");
}
