using CachePurge.Testing;
using System.Diagnostics;
using CachePurge.Core;
using CachePurge.Core.Tests.Infrastructure;

namespace CachePurge.Core.Tests.Dispatching;

public sealed class PurgeDispatcherTests : IAsyncLifetime
{
    private ScriptedCacheServer _cache = null!;

    public async Task InitializeAsync() => _cache = await ScriptedCacheServer.StartAsync();

    public async Task DisposeAsync() => await _cache.DisposeAsync();

    [Fact]
    public async Task Every_path_is_purged_once_per_site_host_on_every_cache()
    {
        await using var second = await ScriptedCacheServer.StartAsync();
        var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("one", _cache.BaseUrl), DispatcherFactory.Endpoint("two", second.BaseUrl, CacheKind.Squid));
        options.SiteHosts = ["www.example.com", "example.com"];
        await using var dispatcher = DispatcherFactory.Start(options);

        dispatcher.Commit("/a", "/b?x=1");
        await dispatcher.DrainAsync();

        foreach (var cache in new[] { _cache, second })
        {
            Assert.Equal(
                ["PURGE /a example.com", "PURGE /a www.example.com", "PURGE /b?x=1 example.com", "PURGE /b?x=1 www.example.com"],
                cache.Requests.Select(r => $"{r.Method} {r.PathAndQuery} {r.Host}").Order());
        }
    }

    [Fact]
    public async Task A_batch_for_one_cache_reaches_only_that_cache()
    {
        await using var other = await ScriptedCacheServer.StartAsync();
        var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("one", _cache.BaseUrl), DispatcherFactory.Endpoint("other", other.BaseUrl));
        await using var dispatcher = DispatcherFactory.Start(options);

        var batch = dispatcher.CreateBatch("one");
        batch.AddUrl("/only-one");
        batch.Commit();
        await dispatcher.DrainAsync();

        Assert.Equal(["/only-one"], _cache.Requests.Select(r => r.PathAndQuery));
        Assert.Empty(other.Requests);
        Assert.Throws<ArgumentException>(() => dispatcher.CreateBatch("nope"));
    }

    [Theory]
    [InlineData(200, PurgeOutcome.Purged)]
    [InlineData(403, PurgeOutcome.Refused)]
    public async Task A_probe_returns_the_cache_s_answer_at_once_and_queues_nothing(int status, PurgeOutcome outcome)
    {
        _cache.Respond = _ => status;
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl)));

        var result = await dispatcher.ProbeAsync("c", "/probe");

        Assert.Equal((outcome, status, "/probe"), (result.Outcome, result.Status, result.Target));
        Assert.Equal(0, dispatcher.GetPendingCounts()["c"]);
        Assert.Single(_cache.Requests);
    }

    [Fact]
    public async Task A_batch_that_is_not_committed_sends_nothing()
    {
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl)));

        dispatcher.CreateBatch().AddUrl("/a");
        dispatcher.Commit("/b");
        await dispatcher.DrainAsync();

        Assert.Equal(["/b"], _cache.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task Commit_returns_while_the_cache_holds_every_request()
    {
        _cache.Gate = new TaskCompletionSource();
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl)));

        var commits = Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                dispatcher.Commit($"/page/{i}");
            }
        });

        Assert.Same(commits, await Task.WhenAny(commits, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.Equal(200, dispatcher.GetPendingCounts()["c"]);
        _cache.Gate.SetResult();
        await dispatcher.DrainAsync();
        Assert.Equal(200, _cache.Requests.Select(r => r.PathAndQuery).Distinct().Count());
    }

    [Fact]
    public async Task A_path_committed_again_while_still_queued_is_sent_once()
    {
        var endpoint = DispatcherFactory.Endpoint("c", _cache.BaseUrl);
        endpoint.MaxConcurrency = 1;
        _cache.Gate = new TaskCompletionSource();
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(endpoint));

        dispatcher.Commit("/blocker");
        await Eventually.WaitUntilAsync(() => _cache.Requests.Count == 1, 10);
        dispatcher.Commit("/a");
        dispatcher.Commit("/a", "https://www.example.com/a");
        dispatcher.Commit("/./a");
        _cache.Gate.SetResult();
        await dispatcher.DrainAsync();

        Assert.Equal(["/a", "/blocker"], _cache.Requests.Select(r => r.PathAndQuery).Order());
    }

    [Fact]
    public async Task A_path_committed_again_while_in_flight_is_sent_again_afterwards()
    {
        _cache.Gate = new TaskCompletionSource();
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl)));

        dispatcher.Commit("/a");
        await Eventually.WaitUntilAsync(() => _cache.Requests.Count == 1, 10);
        dispatcher.Commit("/a");
        _cache.Gate.SetResult();
        await dispatcher.DrainAsync();

        Assert.Equal(["/a", "/a"], _cache.Requests.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task Transient_failures_are_redelivered_until_the_cache_accepts()
    {
        var answers = new Queue<int>([503, 503, 502, 500, 503, 503]);
        _cache.Respond = _ => answers.TryDequeue(out var status) ? status : 200;
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl)));

        dispatcher.Commit("/a");
        await dispatcher.DrainAsync();

        var results = dispatcher.GetRecentResults();
        Assert.Equal(PurgeOutcome.Purged, results[0].Outcome);
        Assert.Contains(results, r => r.Outcome == PurgeOutcome.Failed && r.Status == 503);
        Assert.Equal(7, _cache.Requests.Count);
    }

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        var first = true;
        _cache.Respond = _ =>
        {
            var status = first ? 429 : 200;
            first = false;
            return status;
        };
        _cache.ResponseHeaders["Retry-After"] = "1";
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl)));
        var started = Stopwatch.StartNew();

        dispatcher.Commit("/a");
        await dispatcher.DrainAsync();

        Assert.Equal(2, _cache.Requests.Count);
        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {started.Elapsed}");
    }

    [Fact]
    public async Task A_cache_that_refuses_is_not_hammered_and_the_purge_is_kept()
    {
        _cache.Respond = _ => 403;
        var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl));
        options.MaxRedeliveryDelay = TimeSpan.FromMinutes(1);
        await using var dispatcher = DispatcherFactory.Start(options);

        dispatcher.Commit("/a");
        await Eventually.WaitUntilAsync(() => dispatcher.GetRecentResults().Count > 0, 10);
        await Task.Delay(500);

        Assert.Single(_cache.Requests);
        Assert.Equal(PurgeOutcome.Refused, dispatcher.GetRecentResults()[0].Outcome);
        Assert.Equal(1, dispatcher.GetPendingCounts()["c"]);
    }

    [Fact]
    public async Task A_cache_that_is_down_delays_purges_and_gets_them_when_it_is_back()
    {
        var port = FreePort.Next();
        var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("c", new Uri($"http://127.0.0.1:{port}")));
        await using var dispatcher = DispatcherFactory.Start(options);

        dispatcher.Commit("/a", "/b");
        await Eventually.WaitUntilAsync(() => dispatcher.GetRecentResults().Any(r => r.Outcome == PurgeOutcome.Failed), 10);
        Assert.Equal(2, dispatcher.GetPendingCounts()["c"]);
        await using var cache = await ScriptedCacheServer.StartAsync(port);
        await dispatcher.DrainAsync();

        Assert.Equal(["/a", "/b"], cache.Requests.Select(r => r.PathAndQuery).Order());
    }

    [Fact]
    public async Task A_cache_slower_than_its_timeout_gets_the_purge_once_it_answers_in_time()
    {
        _cache.Delay = TimeSpan.FromSeconds(3);
        var endpoint = DispatcherFactory.Endpoint("c", _cache.BaseUrl);
        endpoint.Timeout = TimeSpan.FromMilliseconds(300);
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(endpoint));

        dispatcher.Commit("/slow");
        await Eventually.WaitUntilAsync(() => dispatcher.GetRecentResults().Any(r => r.Outcome == PurgeOutcome.Failed), 10);
        Assert.Equal(1, dispatcher.GetPendingCounts()["c"]);
        _cache.Delay = TimeSpan.Zero;
        await dispatcher.DrainAsync();

        Assert.Equal(PurgeOutcome.Purged, dispatcher.GetRecentResults()[0].Outcome);
    }

    [Fact]
    public async Task Tags_are_sent_together_and_split_at_the_header_limit()
    {
        var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl));
        options.TagHeaderLimit = 1_000;
        await using var dispatcher = DispatcherFactory.Start(options);
        var tags = Enumerable.Range(0, 300).Select(i => $"ci-{i:D10}").ToList();

        var batch = dispatcher.CreateBatch();
        tags.ForEach(batch.AddTag);
        batch.Commit();
        await dispatcher.DrainAsync();

        var headers = _cache.Requests.Select(r => r.Headers["xkey-purge"]).ToList();
        Assert.InRange(headers.Count, 4, 10);
        Assert.All(headers, h => Assert.True(h.Length <= 1_000));
        Assert.Equal(tags.Order(), headers.SelectMany(h => h.Split(' ')).Order());
    }

    [Fact]
    public async Task Tags_are_not_sent_to_caches_that_cannot_purge_by_tag()
    {
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl, CacheKind.Squid)));

        var batch = dispatcher.CreateBatch();
        batch.AddTag("ci-1");
        batch.AddUrl("/a");
        batch.Commit();
        await dispatcher.DrainAsync();

        Assert.Equal(["PURGE /a"], _cache.Requests.Select(r => $"{r.Method} {r.PathAndQuery}"));
    }

    [Fact]
    public async Task Above_the_threshold_pending_paths_are_replaced_by_one_ban()
    {
        var endpoint = DispatcherFactory.Endpoint("c", _cache.BaseUrl);
        endpoint.MaxConcurrency = 1;
        var options = DispatcherFactory.Options(endpoint);
        options.EscalationThreshold = 10;
        _cache.Gate = new TaskCompletionSource();
        await using var dispatcher = DispatcherFactory.Start(options);

        dispatcher.Commit("/first");
        await Eventually.WaitUntilAsync(() => _cache.Requests.Count == 1, 10);
        for (var i = 0; i < 50; i++)
        {
            dispatcher.Commit($"/p/{i}");
        }

        _cache.Gate.SetResult();
        await dispatcher.DrainAsync();

        Assert.Equal(1, _cache.Requests.Count(r => r.Method == "BAN"));
        Assert.True(_cache.Requests.Count(r => r.Method == "PURGE") <= 12, $"{_cache.Requests.Count} requests");
    }

    [Fact]
    public async Task A_backlog_larger_than_memory_waits_in_the_journal_and_every_purge_is_sent_once()
    {
        var endpoint = DispatcherFactory.Endpoint("c", _cache.BaseUrl, CacheKind.Squid);
        endpoint.MaxConcurrency = 2;
        var options = DispatcherFactory.Options(endpoint);
        options.MaxPendingInMemory = 100;
        _cache.Gate = new TaskCompletionSource();
        await using var dispatcher = DispatcherFactory.Start(options);

        for (var i = 0; i < 1_000; i += 10)
        {
            dispatcher.Commit([.. Enumerable.Range(i, 10).Select(n => $"/backlog/{n}")]);
        }

        dispatcher.Commit("/backlog/5", "/backlog/995");
        Assert.Equal(1_000, dispatcher.GetPendingCounts()["c"]);
        _cache.Gate.SetResult();
        await dispatcher.DrainAsync();

        var sent = _cache.Requests.Select(r => r.PathAndQuery).ToList();
        Assert.Equal(1_000, sent.Distinct().Count());
        Assert.Equal(1_000, sent.Count);
    }

    [Fact]
    public async Task The_rate_limit_paces_a_bulk_import()
    {
        var endpoint = DispatcherFactory.Endpoint("c", _cache.BaseUrl);
        endpoint.RequestsPerSecond = 50;
        var options = DispatcherFactory.Options(endpoint);
        options.EscalationThreshold = 0;
        await using var dispatcher = DispatcherFactory.Start(options);
        var started = Stopwatch.StartNew();

        dispatcher.Commit([.. Enumerable.Range(0, 100).Select(i => $"/import/{i}")]);
        await dispatcher.DrainAsync();

        // 100 requests at 50/s with a bucket of 5: at least 1.9 s, whatever the machine's speed.
        Assert.Equal(100, _cache.Requests.Count);
        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(1.8), $"100 purges took {started.Elapsed}");
    }

    [Fact]
    public async Task Stopping_drains_what_is_pending_within_the_drain_time()
    {
        _cache.Delay = TimeSpan.FromMilliseconds(100);
        var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl));
        options.DrainTimeout = TimeSpan.FromSeconds(10);
        var dispatcher = DispatcherFactory.Start(options);

        dispatcher.Commit([.. Enumerable.Range(0, 12).Select(i => $"/drain/{i}")]);
        await dispatcher.DisposeAsync();

        Assert.Equal(12, _cache.Requests.Count);
        Assert.Equal(0, dispatcher.GetPendingCounts()["c"]);
    }

    [Fact]
    public async Task A_purge_failing_past_the_dead_letter_age_is_kept_visible_and_can_be_replayed()
    {
        _cache.Respond = _ => 500;
        var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl));
        options.DeadLetterAfter = TimeSpan.FromMilliseconds(300);
        await using var dispatcher = DispatcherFactory.Start(options);

        dispatcher.Commit("/a");
        await dispatcher.DrainAsync();
        var dead = dispatcher.GetDeadLetters();
        Assert.Equal(1, dead.Count);
        Assert.Contains("500", dead.LastError);

        _cache.Respond = _ => 200;
        Assert.Equal(1, dispatcher.ReplayDeadLetters());
        await dispatcher.DrainAsync();

        Assert.Equal(0, dispatcher.GetDeadLetters().Count);
        Assert.Equal(PurgeOutcome.Purged, dispatcher.GetRecentResults()[0].Outcome);
    }

    [Fact]
    public async Task A_purge_given_up_is_reported_once_as_dead_lettered()
    {
        _cache.Respond = _ => 500;
        var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl));
        options.DeadLetterAfter = TimeSpan.FromMilliseconds(300);
        await using var dispatcher = DispatcherFactory.Start(options);
        var failures = new System.Collections.Concurrent.ConcurrentQueue<PurgeFailure>();
        dispatcher.Failed += failures.Enqueue;

        dispatcher.Commit("/a");
        await dispatcher.DrainAsync();

        var deadLettered = Assert.Single(failures, f => f.DeadLettered);
        Assert.Equal(("c", "/a", PurgeOutcome.Failed, 500), (deadLettered.Endpoint, deadLettered.Target, deadLettered.Outcome, deadLettered.Status));
        Assert.Contains("500", deadLettered.Error);
    }

    [Fact]
    public async Task A_refusing_cache_is_reported_once_per_interval_not_for_every_purge()
    {
        _cache.Respond = _ => 403;
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl)));
        var failures = new System.Collections.Concurrent.ConcurrentQueue<PurgeFailure>();
        dispatcher.Failed += failures.Enqueue;

        dispatcher.Commit("/a", "/b", "/c");
        await Eventually.WaitUntilAsync(() => dispatcher.GetRecentResults().Count >= 3 && !failures.IsEmpty, 10);
        await Task.Delay(200);

        var failure = Assert.Single(failures);
        Assert.Equal((PurgeOutcome.Refused, 403, false), (failure.Outcome, failure.Status, failure.DeadLettered));
    }

    [Fact]
    public async Task Purge_everything_sends_each_cache_the_site_tag_a_ban_or_nothing_as_it_can()
    {
        await using var squid = await ScriptedCacheServer.StartAsync();
        await using var cdn = await ScriptedCacheServer.StartAsync();
        var generic = DispatcherFactory.Endpoint("cdn", cdn.BaseUrl, CacheKind.Generic);
        generic.TagHeader = "Surrogate-Key";
        var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("varnish", _cache.BaseUrl), DispatcherFactory.Endpoint("squid", squid.BaseUrl, CacheKind.Squid), generic);
        await using var dispatcher = DispatcherFactory.Start(options);

        var methods = dispatcher.PurgeEverything("site-Default");
        await dispatcher.DrainAsync();

        Assert.Equal(PurgeEverythingMethod.SiteTag, methods["varnish"]);
        Assert.Equal(PurgeEverythingMethod.SiteTag, methods["cdn"]);
        Assert.Equal(PurgeEverythingMethod.NotPossible, methods["squid"]);
        Assert.Equal(["PURGE / site-Default"], _cache.Requests.Select(r => $"{r.Method} {r.PathAndQuery} {r.Headers.GetValueOrDefault("xkey-purge")}"));
        Assert.Equal(["PURGE / site-Default"], cdn.Requests.Select(r => $"{r.Method} {r.PathAndQuery} {r.Headers.GetValueOrDefault("Surrogate-Key")}"));
        Assert.Empty(squid.Requests);
        Assert.Equal(0, dispatcher.GetPendingCounts().Values.Sum());
    }

    [Fact]
    public async Task Purge_everything_without_a_site_tag_bans_the_site_on_the_one_cache_named()
    {
        await using var other = await ScriptedCacheServer.StartAsync();
        var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("varnish", _cache.BaseUrl), DispatcherFactory.Endpoint("other", other.BaseUrl));
        await using var dispatcher = DispatcherFactory.Start(options);

        var methods = dispatcher.PurgeEverything(siteTag: null, "varnish");
        await dispatcher.DrainAsync();

        Assert.Equal(PurgeEverythingMethod.Everything, Assert.Single(methods, m => m.Key == "varnish").Value);
        Assert.Single(methods);
        Assert.Equal(["BAN / www.example.com"], _cache.Requests.Select(r => $"{r.Method} {r.PathAndQuery} {r.Host}"));
        Assert.Empty(other.Requests);
        Assert.Throws<ArgumentException>(() => dispatcher.PurgeEverything(null, "nope"));
    }

    [Fact]
    public async Task Recent_results_survive_a_new_dispatcher_on_the_same_journal()
    {
        var directory = Directory.CreateTempSubdirectory("cachepurge-recent-");
        try
        {
            _cache.Respond = request => request.PathAndQuery == "/gone" ? 404 : 200;
            var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl));
            options.JournalPath = Path.Combine(directory.FullName, "journal.db");
            var first = DispatcherFactory.Start(options);
            first.Commit("/a");
            await first.DrainAsync();
            first.Commit("/gone");
            await first.DrainAsync();
            await first.DisposeAsync();

            await using var second = DispatcherFactory.Start(options);
            Assert.Equal(["/gone", "/a"], second.GetRecentResults().Select(r => r.Target));
            Assert.Equal(first.GetRecentResults(), second.GetRecentResults());

            // New results go on top of the ones kept.
            second.Commit("/b");
            await second.DrainAsync();
            Assert.Equal(["/b", "/gone", "/a"], second.GetRecentResults().Select(r => r.Target));
            Assert.Equal([PurgeOutcome.Purged, PurgeOutcome.NotCached, PurgeOutcome.Purged], second.GetRecentResults().Select(r => r.Outcome));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
