using System.Net;
using CachePurge.Core.Protocols;
using CachePurge.Core.Tests.Infrastructure;
using CachePurge.Testing;
using CachePurge.Testing.Cdn;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace CachePurge.Core.Tests.Cdn;

/// <summary>The engine against the Cloudflare contract server, which enforces the documented purge API and its limits.</summary>
public sealed class CloudflarePurgeTests
{
    [Fact]
    public async Task Paths_are_purged_as_absolute_urls_for_every_host_and_scheme_in_calls_within_the_limit()
    {
        await using var server = await CloudflareContractServer.StartAsync(NewToken(), CloudflareContractLimits.Pro with { ItemsPerCall = 10 });
        var endpoint = Endpoint(server, CloudflarePlan.Pro, itemsPerCall: 10);
        endpoint.Schemes = ["https", "http"];
        var options = DispatcherFactory.Options(endpoint);
        options.SiteHosts = ["www.example.com", "example.com"];
        var paths = Enumerable.Range(0, 25).Select(i => $"/p{i}").ToArray();

        await using (var dispatcher = DispatcherFactory.Start(options))
        {
            dispatcher.Commit(paths);
            await dispatcher.DrainAsync();
        }

        string[] expected = [.. paths.SelectMany(p => new[] { "https://www.example.com", "https://example.com", "http://www.example.com", "http://example.com" }.Select(origin => origin + p))];
        Assert.Equal(expected.Order(), server.Purged("files").Order());
        Assert.All(server.Calls, call => Assert.Equal(HttpStatusCode.OK, call.Status));

        // A path's four URLs travel together: 2 paths (8 URLs) a call, never above the 10 the account takes.
        Assert.All(server.Calls, call => Assert.Equal(8, call.Items.Length, tolerance: 4));
        Assert.All(server.Calls, call => Assert.Equal(0, call.Items.Length % 4));
    }

    [Fact]
    public async Task Tags_are_sent_together_in_calls_of_at_most_the_limit()
    {
        await using var server = await CloudflareContractServer.StartAsync(NewToken(), CloudflareContractLimits.Free);
        var tags = Enumerable.Range(0, 250).Select(i => $"ci-{i}").ToArray();

        await using (var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Endpoint(server, CloudflarePlan.Free))))
        {
            var batch = dispatcher.CreateBatch();
            foreach (var tag in tags)
            {
                batch.AddTag(tag);
            }

            batch.Commit();
            await dispatcher.DrainAsync();
        }

        Assert.Equal(tags.Order(), server.Purged("tags").Order());
        Assert.All(server.Calls, call => Assert.InRange(call.Items.Length, 1, 100));
        Assert.Equal(0, server.CountStatus(HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task A_storm_of_5000_purges_keeps_within_the_rate_limit_without_a_single_429()
    {
        await using var server = await CloudflareContractServer.StartAsync(NewToken(), CloudflareContractLimits.Pro);
        var paths = Enumerable.Range(0, 5_000).Select(i => $"/storm/{i}").ToArray();

        await using (var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Endpoint(server, CloudflarePlan.Pro))))
        {
            foreach (var chunk in paths.Chunk(50))
            {
                dispatcher.Commit(chunk);
            }

            await dispatcher.DrainAsync(seconds: 60);
        }

        Assert.Equal(0, server.CountStatus(HttpStatusCode.TooManyRequests));
        Assert.Equal(paths.Select(p => "https://www.example.com" + p).Order(), server.Purged("files").Order());
        Assert.All(server.Calls, call => Assert.Equal("files", call.Member));
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task Calls_answered_with_429_or_5xx_are_sent_again_and_nothing_is_lost(HttpStatusCode failure)
    {
        await using var server = await CloudflareContractServer.StartAsync(NewToken(), CloudflareContractLimits.Pro);
        server.Inject(failure, 6);
        var paths = Enumerable.Range(0, 1_000).Select(i => $"/again/{i}").ToArray();

        await using (var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Endpoint(server, CloudflarePlan.Pro))))
        {
            foreach (var chunk in paths.Chunk(100))
            {
                dispatcher.Commit(chunk);
            }

            await dispatcher.DrainAsync(seconds: 60);
        }

        Assert.Equal(6, server.CountStatus(failure));
        Assert.Equal(paths.Select(p => "https://www.example.com" + p).Order(), server.Purged("files").Distinct().Order());
    }

    [Fact]
    public async Task The_contract_server_answers_429_to_an_engine_that_keeps_to_a_higher_plan_and_nothing_is_lost()
    {
        // The proof that the storm above is quiet because the engine keeps to the plan, not because the server is lenient.
        await using var server = await CloudflareContractServer.StartAsync(NewToken(), CloudflareContractLimits.Pro);
        var paths = Enumerable.Range(0, 5_000).Select(i => $"/over/{i}").ToArray();

        await using (var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Endpoint(server, CloudflarePlan.Enterprise))))
        {
            foreach (var chunk in paths.Chunk(50))
            {
                dispatcher.Commit(chunk);
            }

            await dispatcher.DrainAsync(seconds: 60);
        }

        Assert.True(server.CountStatus(HttpStatusCode.TooManyRequests) > 0);
        Assert.Equal(paths.Select(p => "https://www.example.com" + p).Order(), server.Purged("files").Distinct().Order());
    }

    [Fact]
    public async Task A_call_above_the_accounts_items_per_call_is_refused_with_cloudflares_error()
    {
        await using var server = await CloudflareContractServer.StartAsync(NewToken(), CloudflareContractLimits.Pro with { ItemsPerCall = 30 });
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Endpoint(server, CloudflarePlan.Pro, itemsPerCall: 100)));

        dispatcher.Commit([.. Enumerable.Range(0, 100).Select(i => $"/many/{i}")]);
        await Eventually.WaitUntilAsync(() => dispatcher.GetRecentResults().Any(r => r.Status == 400), seconds: 10);

        var result = dispatcher.GetRecentResults().First(r => r.Status == 400);
        Assert.Equal(PurgeOutcome.Failed, result.Outcome);
        // The workers may take the paths before all 100 are queued, so a call holds 31 to 100 of them.
        Assert.StartsWith("HTTP 400 Bad Request: 1015 Only 30 files can be purged in one request; this one has ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_and_cloudflares_error_reaches_the_results_and_the_dead_letters()
    {
        await using var server = await CloudflareContractServer.StartAsync(NewToken(), CloudflareContractLimits.Pro);
        var endpoint = Endpoint(server, CloudflarePlan.Pro);
        endpoint.ApiToken = NewToken();
        var options = DispatcherFactory.Options(endpoint);

        // Long enough for the first refusal to be retried (and logged) rather than dead-lettered at once on a busy machine.
        options.DeadLetterAfter = TimeSpan.FromSeconds(1.5);
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(new FakeLoggerProvider(logs)));

        await using var dispatcher = new PurgeDispatcher("test", options, DispatcherFactory.HttpClientFactory, loggerFactory);
        dispatcher.Start();
        dispatcher.Commit("/a");
        await Eventually.WaitUntilAsync(() => dispatcher.GetDeadLetters().Count == 1, seconds: 10);

        var result = dispatcher.GetRecentResults().First();
        Assert.Equal(PurgeOutcome.Refused, result.Outcome);
        Assert.Equal(403, result.Status);
        Assert.Equal("HTTP 403 Forbidden: 9109 Invalid access token", result.Error);
        Assert.Equal("HTTP 403 Forbidden: 9109 Invalid access token", dispatcher.GetDeadLetters().LastError);
        Assert.All(server.Calls, call => Assert.Equal(HttpStatusCode.Forbidden, call.Status));
        var refused = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 4140);
        Assert.Contains("9109 Invalid access token", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Purging_everything_purges_the_site_hosts_not_the_whole_zone()
    {
        await using var server = await CloudflareContractServer.StartAsync(NewToken(), CloudflareContractLimits.Pro);
        var options = DispatcherFactory.Options(Endpoint(server, CloudflarePlan.Pro));
        options.SiteHosts = ["www.example.com", "example.com"];

        await using (var dispatcher = DispatcherFactory.Start(options))
        {
            Assert.Equal(PurgeEverythingMethod.Everything, dispatcher.PurgeEverything(siteTag: null)["cloudflare"]);
            await dispatcher.DrainAsync();
        }

        var call = Assert.Single(server.Calls);
        Assert.Equal("hosts", call.Member);
        Assert.Equal(["www.example.com", "example.com"], call.Items);
    }

    [Fact]
    public async Task Purging_everything_under_a_path_base_purges_its_prefix_on_every_host()
    {
        await using var server = await CloudflareContractServer.StartAsync(NewToken(), CloudflareContractLimits.Pro);
        var options = DispatcherFactory.Options(Endpoint(server, CloudflarePlan.Pro));
        options.PathBase = "/blog";

        await using (var dispatcher = DispatcherFactory.Start(options))
        {
            dispatcher.PurgeEverything(siteTag: null);
            await dispatcher.DrainAsync();
        }

        var call = Assert.Single(server.Calls);
        Assert.Equal("prefixes", call.Member);
        Assert.Equal(["www.example.com/blog"], call.Items);
    }

    [Theory]
    [InlineData(null, PurgeEverythingMethod.NotPossible)]
    [InlineData("site", PurgeEverythingMethod.SiteTag)]
    public void A_cdn_that_must_never_purge_everything_is_purged_by_the_site_tag_or_not_at_all(string? siteTag, PurgeEverythingMethod expected)
    {
        var endpoint = new CacheEndpoint { Name = "cf", Kind = CacheKind.Cloudflare, NeverPurgeEverything = true };

        Assert.Equal(expected, endpoint.HowToPurgeEverything(pagesCarrySiteTag: siteTag is not null));
        Assert.False(endpoint.CanPurgeEverything);
    }

    [Fact]
    public async Task A_call_is_the_documented_post_with_a_bearer_token_and_a_json_body()
    {
        var endpoint = new CacheEndpoint { Name = "cf", Kind = CacheKind.Cloudflare, BaseUrl = "https://api.cloudflare.com", ZoneId = "023e105f4ecef8ad9ca31a8372d0c353", ApiToken = "token" };
        SiteHost[] hosts = [new("www.example.com", null)];
        var protocol = CacheProtocol.For(endpoint, new SiteAddresses(hosts, ""));

        using var files = protocol.CreateRequest(new PurgeCall(PurgeTargetKind.Path, ["/a", "/b?page=2"], hosts));
        using var tags = protocol.CreateRequest(new PurgeCall(PurgeTargetKind.Tag, ["ci-1", "ci-2"], hosts));

        Assert.Equal(HttpMethod.Post, files.Method);
        Assert.Equal("https://api.cloudflare.com/client/v4/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache", files.RequestUri!.ToString());
        Assert.Equal("Bearer token", files.Headers.Authorization!.ToString());
        Assert.Equal("application/json", files.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("""{"files":["https://www.example.com/a","https://www.example.com/b?page=2"]}""", await files.Content.ReadAsStringAsync());
        Assert.Equal("""{"tags":["ci-1","ci-2"]}""", await tags.Content!.ReadAsStringAsync());
    }

    [Fact]
    public async Task While_a_tag_storm_waits_for_the_rate_budget_the_health_shows_tokens_used_and_calls_in_flight_and_none_once_idle()
    {
        await using var server = await CloudflareContractServer.StartAsync(NewToken(), CloudflareContractLimits.Pro);

        // A distant API answers in tens of milliseconds, not the loopback's one: the calls are seen in flight.
        server.AnswerDelay = TimeSpan.FromMilliseconds(50);
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Endpoint(server, CloudflarePlan.Pro, itemsPerCall: 10)));
        var idle = dispatcher.GetEndpointHealth()[0];
        Assert.Equal(["cloudflare-urls", "cloudflare-bulk"], idle.RateBudget.Select(b => b.Name));

        // Pro's bucket of 25 tag calls, half kept in reserve for the account's other users; full before the storm.
        Assert.Equal(new RateBucketUse("cloudflare-bulk", 12, 12, TimeSpan.Zero), Bulk(idle));
        Assert.Equal(0, idle.CallsInFlight);

        // 300 tags, 10 a call: 30 calls against 12 tokens refilled 5 a second.
        var batch = dispatcher.CreateBatch();
        foreach (var tag in Enumerable.Range(0, 300).Select(i => $"storm-{i}"))
        {
            batch.AddTag(tag);
        }

        batch.Commit();
        EndpointHealth busy = idle;
        await Eventually.WaitUntilAsync(() => (busy = dispatcher.GetEndpointHealth()[0]) is { CallsInFlight: > 0 } && Bulk(busy).Available < Bulk(busy).Capacity, seconds: 10);
        Assert.InRange(Bulk(busy).Available, 0, 11);
        Assert.InRange(busy.CallsInFlight, 1, 4);

        await dispatcher.DrainAsync(seconds: 30);
        var after = dispatcher.GetEndpointHealth()[0];
        Assert.Equal(0, after.CallsInFlight);

        // 30 calls against 12 tokens refilled a few a second: their workers waited for the bucket (how long depends on
        // how fast the machine sent them), never for the URLs'.
        Assert.True(Bulk(after).Waited > TimeSpan.Zero, $"waited {Bulk(after).Waited}");
        Assert.Equal(TimeSpan.Zero, after.RateBudget[0].Waited);
        Assert.Equal(after.RateBudget[0].Capacity, after.RateBudget[0].Available);
        Assert.Equal(0, server.CountStatus(HttpStatusCode.TooManyRequests));
        Assert.Equal(300, server.Purged("tags").Distinct().Count());
    }

    private static RateBucketUse Bulk(EndpointHealth health) => Assert.Single(health.RateBudget, b => b.Name == "cloudflare-bulk");

    private static string NewToken() => "cf-" + Guid.NewGuid().ToString("N");

    // A token of its own in every test: the engine shares rate buckets between endpoints of one account (one token).
    private static CacheEndpoint Endpoint(CloudflareContractServer server, CloudflarePlan plan, int itemsPerCall = 100) => new()
    {
        Name = "cloudflare",
        Kind = CacheKind.Cloudflare,
        BaseUrl = server.BaseUrl.ToString(),
        ZoneId = server.ZoneId,
        ApiToken = server.Token,
        CloudflarePlan = plan,
        ItemsPerCall = itemsPerCall,
        Timeout = TimeSpan.FromSeconds(5),
        MaxConcurrency = 4,
    };
}
