using CachePurge.Core.Tests.Infrastructure;

namespace CachePurge.Core.Tests.Dispatching;

/// <summary>The dispatcher's health snapshot, per cache, from what real requests to scripted caches came to.</summary>
public sealed class EndpointHealthTests : IAsyncLifetime
{
    private ScriptedCacheServer _good = null!;
    private ScriptedCacheServer _bad = null!;

    public async Task InitializeAsync()
    {
        _good = await ScriptedCacheServer.StartAsync();
        _bad = await ScriptedCacheServer.StartAsync();
        _bad.Respond = _ => 503;
    }

    public async Task DisposeAsync()
    {
        await _good.DisposeAsync();
        await _bad.DisposeAsync();
    }

    [Fact]
    public async Task Each_cache_has_its_own_success_error_and_minutes_in_the_order_of_the_settings()
    {
        var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("good", _good.BaseUrl), DispatcherFactory.Endpoint("bad", _bad.BaseUrl));
        await using var dispatcher = DispatcherFactory.Start(options);
        var before = DateTimeOffset.UtcNow;

        // The bad cache is sent nothing until the good one is idle, so that the drain waits for the good one alone.
        Commit(dispatcher, "good", "/a", "/b", "/c");
        await dispatcher.DrainAsync();
        Commit(dispatcher, "bad", "/d", "/e");
        await Eventually.WaitUntilAsync(() => dispatcher.GetEndpointHealth()[1].LastError?.Count >= 2, seconds: 10);

        var health = dispatcher.GetEndpointHealth();

        Assert.Equal(["good", "bad"], health.Select(h => h.Endpoint));
        var good = health[0];
        Assert.InRange(good.LastSuccess!.Value, before, DateTimeOffset.UtcNow);
        Assert.Null(good.LastError);
        Assert.Equal(3, good.LastHour.Sum(m => m.Succeeded));
        Assert.Equal(0, good.LastHour.Sum(m => m.Failed));
        Assert.Contains(good.LastHour, m => m.LatencyP50 is not null && m.LatencyP95 >= m.LatencyP50);

        var bad = health[1];
        Assert.Null(bad.LastSuccess);
        Assert.Equal("HTTP 503 Service Unavailable", bad.LastError!.Message);
        Assert.InRange(bad.LastError.FirstTime, before, bad.LastError.LastTime);
        // Redeliveries go on failing while the snapshot is read: the minutes, read last, may have counted one more.
        Assert.InRange(bad.LastHour.Sum(m => m.Failed), bad.LastError.Count, bad.LastError.Count + 4);
        Assert.All(bad.LastHour, m => Assert.Null(m.LatencyP50));
        Assert.All(health, h => Assert.True(h.Journal.IsWritable));
    }

    [Fact]
    public async Task A_test_of_the_cache_counts_as_a_request_it_answered()
    {
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("good", _good.BaseUrl)));

        await dispatcher.ProbeAsync("good", "/probe");

        var health = Assert.Single(dispatcher.GetEndpointHealth());
        Assert.NotNull(health.LastSuccess);
        Assert.Equal(1, health.LastHour.Sum(m => m.Succeeded));
    }

    [Fact]
    public async Task An_engine_that_replaces_a_stopped_one_continues_the_health_of_the_caches_they_share()
    {
        var first = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("good", _good.BaseUrl), DispatcherFactory.Endpoint("bad", _bad.BaseUrl)));
        Commit(first, "good", "/a", "/b");
        await first.DrainAsync();
        Commit(first, "bad", "/c");
        await Eventually.WaitUntilAsync(() => first.GetEndpointHealth()[1].LastError is not null, seconds: 10);
        await first.StopAsync(TimeSpan.Zero);
        var before = first.GetEndpointHealth();

        // The settings changed: "bad" is no longer among the caches.
        await using var second = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("good", _good.BaseUrl)));
        second.ContinueHealthOf(first);
        Commit(second, "good", "/d");
        await second.DrainAsync();

        var good = Assert.Single(second.GetEndpointHealth());
        Assert.Equal(3, good.LastHour.Sum(m => m.Succeeded));
        Assert.True(good.LastSuccess >= before[0].LastSuccess);
    }

    private static void Commit(PurgeDispatcher dispatcher, string cache, params string[] urls)
    {
        var batch = dispatcher.CreateBatch(cache);
        foreach (var url in urls)
        {
            batch.AddUrl(url);
        }

        batch.Commit();
    }
}
