using System.Net;
using CachePurge.Core.Tests.Infrastructure;
using CachePurge.Testing;
using CachePurge.Testing.Cdn;

namespace CachePurge.Core.Tests.Cdn;

/// <summary>The engine against the Fastly contract server, which enforces the documented purge API.</summary>
public sealed class FastlyPurgeTests
{
    private static readonly string[] Hosts = ["www.example.com", "example.com"];

    [Fact]
    public async Task A_page_is_purged_once_per_host_whatever_the_schemes_with_its_query()
    {
        await using var server = await FastlyContractServer.StartAsync(NewKey(), Hosts);
        var endpoint = Endpoint(server);
        endpoint.Schemes = ["https", "http"];

        await using (var dispatcher = DispatcherFactory.Start(Options(endpoint)))
        {
            dispatcher.Commit("/a", "/b?page=2");
            await dispatcher.DrainAsync();
        }

        Assert.Equal(["example.com/a", "example.com/b?page=2", "www.example.com/a", "www.example.com/b?page=2"], server.Purged("url").Order());
        Assert.All(server.Calls, call => Assert.Equal(HttpStatusCode.OK, call.Status));
    }

    [Fact]
    public async Task Tags_go_as_surrogate_keys_at_most_256_a_call()
    {
        await using var server = await FastlyContractServer.StartAsync(NewKey(), Hosts);
        var endpoint = Endpoint(server);
        endpoint.ItemsPerCall = 256;
        var tags = Enumerable.Range(0, 600).Select(i => $"ci-{i}").ToArray();

        await using (var dispatcher = DispatcherFactory.Start(Options(endpoint)))
        {
            var batch = dispatcher.CreateBatch();
            foreach (var tag in tags)
            {
                batch.AddTag(tag);
            }

            batch.Commit();
            await dispatcher.DrainAsync();
        }

        Assert.Equal(tags.Order(), server.Purged("keys").Order());
        Assert.All(server.Calls, call => Assert.InRange(call.Items.Length, 1, 256));
        Assert.All(server.Calls, call => Assert.Equal(HttpStatusCode.OK, call.Status));
    }

    [Fact]
    public async Task A_soft_purge_marks_pages_and_tags_stale_but_purge_all_stays_hard()
    {
        await using var server = await FastlyContractServer.StartAsync(NewKey(), Hosts);
        var endpoint = Endpoint(server);
        endpoint.SoftPurge = true;

        await using (var dispatcher = DispatcherFactory.Start(Options(endpoint)))
        {
            var batch = dispatcher.CreateBatch();
            batch.AddUrl("/a");
            batch.AddTag("ci-1");
            batch.Commit();
            await dispatcher.DrainAsync();
            dispatcher.PurgeEverything(siteTag: null);
            await dispatcher.DrainAsync();
        }

        Assert.All(server.Calls, call => Assert.Equal(HttpStatusCode.OK, call.Status));
        Assert.All(server.Calls.Where(c => c.Member is "url" or "keys"), call => Assert.True(call.Soft));
        Assert.False(Assert.Single(server.Calls, c => c.Member == "all").Soft);
    }

    [Fact]
    public async Task A_storm_of_5000_pages_is_sent_page_by_page_when_the_service_must_never_be_purged_whole()
    {
        await using var server = await FastlyContractServer.StartAsync(NewKey(), Hosts);
        var endpoint = Endpoint(server);
        endpoint.NeverPurgeEverything = true;
        endpoint.MaxConcurrency = 16;
        server.Inject(HttpStatusCode.ServiceUnavailable, 5);
        var paths = Enumerable.Range(0, 5_000).Select(i => $"/storm/{i}").ToArray();

        await using (var dispatcher = DispatcherFactory.Start(Options(endpoint)))
        {
            foreach (var chunk in paths.Chunk(100))
            {
                dispatcher.Commit(chunk);
            }

            await dispatcher.DrainAsync(seconds: 90);
        }

        Assert.Equal(paths.SelectMany(p => Hosts.Select(h => h + p)).Order(), server.Purged("url").Distinct().Order());
        Assert.Equal(5, server.CountStatus(HttpStatusCode.ServiceUnavailable));
        Assert.DoesNotContain(server.Calls, c => c.Member == "all");
    }

    [Fact]
    public async Task A_storm_above_the_threshold_escalates_to_purge_all()
    {
        await using var server = await FastlyContractServer.StartAsync(NewKey(), Hosts);
        var options = Options(Endpoint(server));
        options.EscalationThreshold = 50;

        await using (var dispatcher = DispatcherFactory.Start(options))
        {
            dispatcher.Commit([.. Enumerable.Range(0, 500).Select(i => $"/many/{i}")]);
            await dispatcher.DrainAsync();
        }

        // Paths committed while a purge_all is in flight need one more after it, so a busy machine may see a few.
        Assert.InRange(server.Calls.Count(c => c.Member == "all" && c.Status == HttpStatusCode.OK), 1, 500 / 50);
        Assert.True(server.Calls.Count(c => c.Member == "url") < 500 * Hosts.Length);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_fastlys_message_reaches_the_results_and_the_dead_letters()
    {
        await using var server = await FastlyContractServer.StartAsync(NewKey(), Hosts);
        var endpoint = Endpoint(server);
        endpoint.ApiToken = NewKey();
        var options = Options(endpoint);
        options.DeadLetterAfter = TimeSpan.FromMilliseconds(300);

        await using var dispatcher = DispatcherFactory.Start(options);
        dispatcher.Commit("/a");
        await Eventually.WaitUntilAsync(() => dispatcher.GetDeadLetters().Count == 1, seconds: 10);

        var result = dispatcher.GetRecentResults().First();
        Assert.Equal(PurgeOutcome.Refused, result.Outcome);
        Assert.Equal("HTTP 401 Unauthorized: Provided credentials are missing or invalid", result.Error);
        Assert.Equal(result.Error, dispatcher.GetDeadLetters().LastError);
    }

    private static string NewKey() => "fastly-" + Guid.NewGuid().ToString("N");

    private static CachePurgeOptions Options(CacheEndpoint endpoint)
    {
        var options = DispatcherFactory.Options(endpoint);
        options.SiteHosts = [.. Hosts];
        return options;
    }

    private static CacheEndpoint Endpoint(FastlyContractServer server) => new()
    {
        Name = "fastly",
        Kind = CacheKind.Fastly,
        BaseUrl = server.BaseUrl.ToString(),
        ServiceId = server.ServiceId,
        ApiToken = server.Key,
        Timeout = TimeSpan.FromSeconds(5),
        MaxConcurrency = 4,
    };
}
