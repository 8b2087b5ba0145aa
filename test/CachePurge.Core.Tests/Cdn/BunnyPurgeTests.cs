using System.Diagnostics;
using System.Net;
using CachePurge.Core.Tests.Infrastructure;
using CachePurge.Testing;
using CachePurge.Testing.Cdn;

namespace CachePurge.Core.Tests.Cdn;

/// <summary>The engine against the bunny.net contract server, which enforces the documented purge API and rate limits.</summary>
public sealed class BunnyPurgeTests
{
    private static readonly string[] Hosts = ["www.example.com", "example.com"];

    // An account whose limits bunny.net raised: fast enough for a storm of 5,000 to take seconds, enforced all the same.
    private static readonly BunnyContractLimits Raised = new(120, 250, 20, 5);

    [Fact]
    public async Task A_page_is_purged_one_url_a_call_for_each_host_and_scheme_answered_at_once()
    {
        await using var server = await BunnyContractServer.StartAsync(NewKey(), BunnyContractLimits.Documented, Hosts);
        var endpoint = Endpoint(server, BunnyPurgeLimits.Documented);
        endpoint.Schemes = ["https", "http"];

        await using (var dispatcher = DispatcherFactory.Start(Options(endpoint)))
        {
            dispatcher.Commit("/a", "/b?page=2");
            await dispatcher.DrainAsync();
        }

        Assert.Equal(
            [.. new[] { "/a", "/b?page=2" }.SelectMany(p => Hosts.SelectMany(h => new[] { $"https://{h}{p}", $"http://{h}{p}" })).Order()],
            server.Purged("url").Order());
        Assert.Contains("POST /purge?url=https%3A%2F%2Fwww.example.com%2Fb%3Fpage%3D2&async=true", server.Targets);
        Assert.All(server.Calls, call => Assert.Equal(HttpStatusCode.OK, call.Status));
        Assert.Equal(8, server.Calls.Count);
    }

    [Fact]
    public async Task Recent_results_name_the_scheme_of_each_call_when_a_page_is_purged_once_per_scheme()
    {
        await using var server = await BunnyContractServer.StartAsync(NewKey(), BunnyContractLimits.Documented, Hosts[0]);
        var endpoint = Endpoint(server, BunnyPurgeLimits.Documented);
        endpoint.Schemes = ["https", "http"];

        await using var dispatcher = DispatcherFactory.Start(Options(endpoint, [Hosts[0]]));
        dispatcher.Commit("/a");
        await dispatcher.DrainAsync();

        Assert.Equal(["http://www.example.com", "https://www.example.com"], dispatcher.GetRecentResults().Select(r => r.Host).Order());
    }

    [Fact]
    public async Task A_path_ending_with_a_slash_is_purged_as_that_page_alone_not_as_a_prefix()
    {
        await using var server = await BunnyContractServer.StartAsync(NewKey(), BunnyContractLimits.Documented, Hosts[0]);

        await using (var dispatcher = DispatcherFactory.Start(Options(Endpoint(server, BunnyPurgeLimits.Documented), [Hosts[0]])))
        {
            dispatcher.Commit("/", "/blog/");
            await dispatcher.DrainAsync();
        }

        Assert.Equal(["https://www.example.com/", "https://www.example.com/blog/"], server.Purged("url").Order());
        Assert.Empty(server.Purged("prefix"));
        Assert.Contains("POST /purge?url=https%3A%2F%2Fwww.example.com%2F&async=true&exactPath=true", server.Targets);
    }

    [Fact]
    public async Task Tags_are_purged_one_cache_tag_a_call_on_the_pull_zone()
    {
        await using var server = await BunnyContractServer.StartAsync(NewKey(), BunnyContractLimits.Documented, Hosts);

        await using (var dispatcher = DispatcherFactory.Start(Options(Endpoint(server, BunnyPurgeLimits.Documented))))
        {
            var batch = dispatcher.CreateBatch();
            batch.AddTag("ci-Default-1");
            batch.AddTag("ci-Default-2");
            batch.Commit();
            await dispatcher.DrainAsync();
        }

        Assert.Equal(["ci-Default-1", "ci-Default-2"], server.Purged("tag").Order());
        Assert.All(server.Calls, call => Assert.Equal(HttpStatusCode.NoContent, call.Status));
        Assert.All(server.Targets, target => Assert.Equal($"POST /pullzone/{server.PullZoneId}/purgeCache", target));
    }

    [Fact]
    public async Task A_cache_tag_over_1024_bytes_is_refused_by_the_contract_server_with_bunnys_message()
    {
        // The contract server's own check: no page can carry such a tag in CDN-Tag, which holds 1,024 bytes.
        await using var server = await BunnyContractServer.StartAsync(NewKey(), BunnyContractLimits.Documented, Hosts);
        var tag = "ci-" + new string('x', 1_100);

        await using var dispatcher = DispatcherFactory.Start(Options(Endpoint(server, BunnyPurgeLimits.Documented)));
        var batch = dispatcher.CreateBatch();
        batch.AddTag(tag);
        batch.Commit();
        await Eventually.WaitUntilAsync(() => dispatcher.GetRecentResults().Count > 0, seconds: 10);

        var result = dispatcher.GetRecentResults().First();
        Assert.Equal(PurgeOutcome.Failed, result.Outcome);
        Assert.Equal("HTTP 400 Bad Request: A cache tag has at most 1024 bytes", result.Error);
        Assert.Empty(server.Purged("tag"));
    }

    [Fact]
    public async Task Purge_everything_empties_the_pull_zone_unless_it_must_never_be_and_then_goes_by_the_site_tag()
    {
        await using var server = await BunnyContractServer.StartAsync(NewKey(), BunnyContractLimits.Documented, Hosts);
        var endpoint = Endpoint(server, BunnyPurgeLimits.Documented);

        await using (var dispatcher = DispatcherFactory.Start(Options(endpoint)))
        {
            Assert.Equal(PurgeEverythingMethod.Everything, dispatcher.PurgeEverything(siteTag: null)["bunny"]);
            await dispatcher.DrainAsync();
        }

        Assert.Equal(["*"], server.Purged("zone"));

        endpoint.NeverPurgeEverything = true;
        await using (var dispatcher = DispatcherFactory.Start(Options(endpoint)))
        {
            Assert.Equal(PurgeEverythingMethod.SiteTag, dispatcher.PurgeEverything(siteTag: "site-Default")["bunny"]);
            await dispatcher.DrainAsync();
            Assert.Equal(PurgeEverythingMethod.NotPossible, dispatcher.PurgeEverything(siteTag: null)["bunny"]);
        }

        Assert.Single(server.Purged("zone"));
        Assert.Equal(["site-Default"], server.Purged("tag"));
    }

    [Fact]
    public async Task A_storm_above_the_threshold_escalates_to_one_purge_of_the_pull_zone()
    {
        await using var server = await BunnyContractServer.StartAsync(NewKey(), Raised, Hosts[0]);
        var options = Options(Endpoint(server, Limits(Raised)), [Hosts[0]]);
        options.EscalationThreshold = 50;

        await using (var dispatcher = DispatcherFactory.Start(options))
        {
            dispatcher.Commit([.. Enumerable.Range(0, 500).Select(i => $"/many/{i}")]);
            await dispatcher.DrainAsync();
        }

        Assert.InRange(server.Calls.Count(c => c.Member == "zone" && c.Status == HttpStatusCode.NoContent), 1, 500 / 50);
        Assert.True(server.Purged("url").Count < 500);
        Assert.Equal(0, server.CountStatus(HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task At_the_documented_rate_a_burst_is_sent_at_once_and_the_rest_paced_at_5_a_second_without_a_429()
    {
        await using var server = await BunnyContractServer.StartAsync(NewKey(), BunnyContractLimits.Documented, Hosts[0]);
        var paths = Enumerable.Range(0, 80).Select(i => $"/paced/{i}").ToArray();
        var started = Stopwatch.StartNew();

        await using (var dispatcher = DispatcherFactory.Start(Options(Endpoint(server, BunnyPurgeLimits.Documented), [Hosts[0]])))
        {
            dispatcher.Commit(paths);
            await dispatcher.DrainAsync(seconds: 60);
        }

        // Half the burst of 120 (the rest is kept for other users of the account), then 5 a second: 20 more take 4 s.
        Assert.True(started.Elapsed >= TimeSpan.FromSeconds(3.5), $"80 purges took {started.Elapsed}");
        Assert.Equal(0, server.CountStatus(HttpStatusCode.TooManyRequests));
        Assert.Equal(paths.Select(p => "https://www.example.com" + p).Order(), server.Purged("url").Order());
    }

    [Fact]
    public async Task A_storm_of_5000_pages_that_must_never_empty_the_pull_zone_keeps_within_the_rate_limit_without_a_single_429()
    {
        await using var server = await BunnyContractServer.StartAsync(NewKey(), Raised, Hosts[0]);
        var endpoint = Endpoint(server, Limits(Raised));
        endpoint.NeverPurgeEverything = true;
        endpoint.MaxConcurrency = 16;
        var paths = Enumerable.Range(0, 5_000).Select(i => $"/storm/{i}").ToArray();

        await using (var dispatcher = DispatcherFactory.Start(Options(endpoint, [Hosts[0]])))
        {
            foreach (var chunk in paths.Chunk(100))
            {
                dispatcher.Commit(chunk);
            }

            await dispatcher.DrainAsync(seconds: 120);
        }

        Assert.Equal(0, server.CountStatus(HttpStatusCode.TooManyRequests));
        Assert.Equal(paths.Select(p => "https://www.example.com" + p).Order(), server.Purged("url").Order());
        Assert.All(server.Calls, call => Assert.Equal("url", call.Member));
    }

    [Fact]
    public async Task The_contract_server_answers_429_to_an_engine_that_keeps_to_higher_limits_and_nothing_is_lost()
    {
        // The proof that the storm above is quiet because the engine keeps to the limits, not because the server is lenient.
        await using var server = await BunnyContractServer.StartAsync(NewKey(), new BunnyContractLimits(20, 50, 20, 5), Hosts[0]);
        var endpoint = Endpoint(server, new BunnyPurgeLimits(2_000, 5_000, 20, 5));
        endpoint.NeverPurgeEverything = true;
        var paths = Enumerable.Range(0, 600).Select(i => $"/over/{i}").ToArray();

        await using (var dispatcher = DispatcherFactory.Start(Options(endpoint, [Hosts[0]])))
        {
            dispatcher.Commit(paths);
            await dispatcher.DrainAsync(seconds: 90);
        }

        Assert.True(server.CountStatus(HttpStatusCode.TooManyRequests) > 0);
        Assert.Equal(paths.Select(p => "https://www.example.com" + p).Order(), server.Purged("url").Distinct().Order());
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task Calls_answered_with_429_or_5xx_are_sent_again_and_nothing_is_lost(HttpStatusCode failure)
    {
        await using var server = await BunnyContractServer.StartAsync(NewKey(), Raised, Hosts);
        server.Inject(failure, 6);
        var endpoint = Endpoint(server, Limits(Raised));
        endpoint.NeverPurgeEverything = true;
        var paths = Enumerable.Range(0, 300).Select(i => $"/again/{i}").ToArray();

        await using (var dispatcher = DispatcherFactory.Start(Options(endpoint)))
        {
            dispatcher.Commit(paths);
            var batch = dispatcher.CreateBatch();
            batch.AddTag("ci-again");
            batch.Commit();
            await dispatcher.DrainAsync(seconds: 60);
        }

        Assert.Equal(6, server.CountStatus(failure));
        Assert.Equal(paths.SelectMany(p => Hosts.Select(h => $"https://{h}{p}")).Order(), server.Purged("url").Distinct().Order());
        Assert.Equal(["ci-again"], server.Purged("tag").Distinct());
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_bunnys_message_reaches_the_results_and_the_dead_letters()
    {
        await using var server = await BunnyContractServer.StartAsync(NewKey(), BunnyContractLimits.Documented, Hosts);
        var endpoint = Endpoint(server, BunnyPurgeLimits.Documented);
        endpoint.ApiToken = NewKey();
        var options = Options(endpoint);
        options.DeadLetterAfter = TimeSpan.FromMilliseconds(300);

        await using var dispatcher = DispatcherFactory.Start(options);
        dispatcher.Commit("/a");
        await Eventually.WaitUntilAsync(() => dispatcher.GetDeadLetters().Count == 1, seconds: 10);

        var result = dispatcher.GetRecentResults().First();
        Assert.Equal(PurgeOutcome.Refused, result.Outcome);
        Assert.Equal("HTTP 401 Unauthorized: Authorization has been denied for this request.", result.Error);
        Assert.Equal(result.Error, dispatcher.GetDeadLetters().LastError);
        Assert.Empty(server.Targets);
    }

    [Fact]
    public async Task Test_connection_with_a_good_key_reads_the_pull_zone_by_name_without_purging()
    {
        await using var server = await BunnyContractServer.StartAsync(NewKey(), BunnyContractLimits.Documented, Hosts);
        await using var dispatcher = DispatcherFactory.Start(Options(Endpoint(server, BunnyPurgeLimits.Documented)));

        var check = await dispatcher.CheckConnectionAsync("bunny");

        Assert.NotNull(check);
        Assert.Equal(ConnectionCheckOutcome.Succeeded, check.Outcome);
        Assert.Equal("key accepted; pull zone example-zone", check.Description);
        Assert.Empty(check.Warnings);
        Assert.Equal([$"GET /pullzone/{server.PullZoneId}"], server.Targets);
    }

    [Fact]
    public async Task Test_connection_with_a_wrong_key_is_refused_with_bunnys_message()
    {
        await using var server = await BunnyContractServer.StartAsync(NewKey(), BunnyContractLimits.Documented, Hosts);
        var endpoint = Endpoint(server, BunnyPurgeLimits.Documented);
        endpoint.ApiToken = "bunny-wrong";
        await using var dispatcher = DispatcherFactory.Start(Options(endpoint));

        var check = await dispatcher.CheckConnectionAsync("bunny");

        Assert.NotNull(check);
        Assert.Equal(ConnectionCheckOutcome.Refused, check.Outcome);
        Assert.Equal("the API key was refused: HTTP 401 Unauthorized: Authorization has been denied for this request.", check.Description);
    }

    [Fact]
    public async Task Test_connection_with_an_unknown_pull_zone_fails_naming_it()
    {
        await using var server = await BunnyContractServer.StartAsync(NewKey(), BunnyContractLimits.Documented, Hosts);
        var endpoint = Endpoint(server, BunnyPurgeLimits.Documented);
        endpoint.PullZoneId = "999";
        await using var dispatcher = DispatcherFactory.Start(Options(endpoint));

        var check = await dispatcher.CheckConnectionAsync("bunny");

        Assert.NotNull(check);
        Assert.Equal(ConnectionCheckOutcome.Failed, check.Outcome);
        Assert.Equal("the pull zone 999 could not be read: HTTP 404 Not Found: The requested Pull Zone was not found", check.Description);
    }

    [Theory]
    [InlineData("PullZoneId", "abc", "Endpoints[0].PullZoneId: the pull zone id is a number (bunny.net dashboard: the pull zone's page, and its address).")]
    [InlineData("PullZoneId", "0", "Endpoints[0].PullZoneId: the pull zone id is a number (bunny.net dashboard: the pull zone's page, and its address).")]
    [InlineData("ApiToken", "", "Endpoints[0].ApiToken: an API token with access to the pull zone (the account's API key) is required.")]
    [InlineData("Schemes", "ftp", "Endpoints[0].Schemes: list https, http or both, once each: a page is purged as a URL of each.")]
    [InlineData("BunnyLimits", "0", "Endpoints[0].BunnyLimits: bursts and rates must be more than 0 (bunny.net documents 120 and 5 a second for exact purges, 20 and 0.5 for prefixes).")]
    public void Each_problem_with_a_bunny_cache_reads_as_one_message_naming_the_setting(string setting, string value, string message)
    {
        var endpoint = new CacheEndpoint { Name = "bunny", Kind = CacheKind.Bunny, BaseUrl = "https://api.bunny.net", PullZoneId = "123456", ApiToken = "key" };
        switch (setting)
        {
            case "PullZoneId": endpoint.PullZoneId = value; break;
            case "ApiToken": endpoint.ApiToken = value; break;
            case "Schemes": endpoint.Schemes = [value]; break;
            default: endpoint.BunnyLimits = new BunnyPurgeLimits(0, 5, 20, 0.5); break;
        }

        Assert.Equal([message], CachePurgeOptionsValidator.Validate(DispatcherFactory.Options(endpoint)).Select(e => e.ToString()));
    }

    private static string NewKey() => "bunny-" + Guid.NewGuid().ToString("N");

    private static BunnyPurgeLimits Limits(BunnyContractLimits limits) => new(limits.ExactBurst, limits.ExactPerSecond, limits.PrefixBurst, limits.PrefixPerSecond);

    private static CachePurgeOptions Options(CacheEndpoint endpoint, string[]? hosts = null)
    {
        var options = DispatcherFactory.Options(endpoint);
        options.SiteHosts = [.. hosts ?? Hosts];
        return options;
    }

    [Fact]
    public async Task Test_connection_warns_that_the_account_key_may_purge_the_whole_pull_zone_when_the_cache_never_does()
    {
        await using var server = await BunnyContractServer.StartAsync(NewKey(), BunnyContractLimits.Documented, Hosts);
        var endpoint = Endpoint(server, BunnyPurgeLimits.Documented);
        endpoint.NeverPurgeEverything = true;
        await using var dispatcher = DispatcherFactory.Start(Options(endpoint));

        var check = await dispatcher.CheckConnectionAsync("bunny");

        Assert.NotNull(check);
        Assert.Equal(ConnectionCheckOutcome.Succeeded, check.Outcome);
        Assert.Equal("key accepted; pull zone example-zone", check.Description);
        Assert.Equal(["this key may also purge the whole pull zone; CachePurge never will, as set"], check.Warnings);
    }

    private static CacheEndpoint Endpoint(BunnyContractServer server, BunnyPurgeLimits limits) => new()
    {
        Name = "bunny",
        Kind = CacheKind.Bunny,
        BaseUrl = server.BaseUrl.ToString(),
        PullZoneId = server.PullZoneId,
        ApiToken = server.Key,
        BunnyLimits = limits,
        Timeout = TimeSpan.FromSeconds(5),
        MaxConcurrency = 4,
    };
}
