using CachePurge.Core.Tests.Infrastructure;

namespace CachePurge.Core.Tests.Dispatching;

/// <summary>
/// The settled commit number, below which a host may forget its own record of commits (the module's purge intents in
/// a web farm's database): a commit counts as settled only once none of its purges still waits under its number.
/// </summary>
public sealed class SettledSequenceTests : IAsyncLifetime
{
    private ScriptedCacheServer _cache = null!;

    public async Task InitializeAsync() => _cache = await ScriptedCacheServer.StartAsync();

    public async Task DisposeAsync() => await _cache.DisposeAsync();

    [Fact]
    public async Task A_commit_with_a_purge_still_waiting_holds_back_every_later_commit_until_it_is_delivered()
    {
        _cache.Respond = request => request.PathAndQuery == "/stuck" ? 503 : 200;
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl)));

        var stuck = Commit(dispatcher, "/stuck");
        var delivered = Commit(dispatcher, "/delivered");
        await Eventually.WaitUntilAsync(() => _cache.Requests.Any(r => r.PathAndQuery == "/delivered") && dispatcher.GetPendingCounts()["c"] == 1, 10);

        Assert.True(delivered > stuck);
        Assert.Equal(stuck - 1, dispatcher.GetSettledSequence());

        _cache.Respond = _ => 200;
        await dispatcher.DrainAsync();

        Assert.Equal(delivered, dispatcher.GetSettledSequence());
    }

    [Fact]
    public async Task A_purge_committed_again_settles_its_first_commit_and_waits_under_the_second()
    {
        _cache.Respond = _ => 503;
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl)));

        var first = Commit(dispatcher, "/again");
        var second = Commit(dispatcher, "/again");

        Assert.Equal(second - 1, dispatcher.GetSettledSequence());
        Assert.True(second - 1 >= first);
    }

    [Fact]
    public async Task Waiting_purges_keep_their_commit_unsettled_across_a_restart()
    {
        var journal = Path.Combine(Directory.CreateTempSubdirectory("cachepurge-settled-").FullName, "journal.db");
        var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl));
        options.JournalPath = journal;
        _cache.Respond = _ => 503;

        long waiting;
        await using (var before = DispatcherFactory.Start(options))
        {
            Commit(before, "/settled-first");
            waiting = Commit(before, "/restart");
            _cache.Respond = request => request.PathAndQuery == "/restart" ? 503 : 200;
            await Eventually.WaitUntilAsync(() => before.GetPendingCounts()["c"] == 1, 10);
        }

        await using var after = DispatcherFactory.Start(options);

        Assert.Equal(waiting - 1, after.GetSettledSequence());
    }

    [Fact]
    public async Task With_nothing_committed_nothing_is_settled_yet_and_a_batch_no_cache_takes_has_no_number()
    {
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("squid", _cache.BaseUrl, CacheKind.Squid)));

        var batch = dispatcher.CreateBatch();
        batch.AddTag("only-tags");

        Assert.Equal(0, batch.Commit());
        Assert.Equal(0, dispatcher.GetSettledSequence());
    }

    private static long Commit(PurgeDispatcher dispatcher, string path)
    {
        var batch = dispatcher.CreateBatch();
        Assert.True(batch.AddUrl(path).IsValid);
        return batch.Commit();
    }
}
