using System.Diagnostics.Metrics;
using System.Net;
using CachePurge.Core.Protocols;
using CachePurge.Core.Tests.Infrastructure;
using CachePurge.Testing.Cdn;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace CachePurge.Core.Tests.Cdn;

/// <summary>
/// The engine against the Azure Front Door contract server, which signs clients in as Entra ID does, enforces ARM's
/// purge API and write bucket, and completes each purge after a delay.
/// </summary>
public sealed class AzureFrontDoorPurgeTests
{
    private static readonly Lazy<IHttpClientFactory> TrustingClients = new(() =>
    {
        var services = new ServiceCollection();
        services.AddCachePurgeHttpClient();
        services.TrustTestCertificateForPurges();
        return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
    });

    private static readonly string[] Domains = ["www.example.com", "example.com"];

    [Fact]
    public async Task Paths_are_purged_on_every_site_domain_in_calls_of_at_most_100_paths_and_complete_later()
    {
        // Longer than the Retry-After of 1 s that the 202 answers: the first question finds the operation in progress.
        await using var server = await StartAsync(AzureFrontDoorContractLimits.Documented with { CompletionDelay = TimeSpan.FromSeconds(1.5) });
        var options = DispatcherFactory.Options(Endpoint(server));
        options.SiteHosts = [.. Domains];
        var paths = Enumerable.Range(0, 250).Select(i => $"/p{i}").ToArray();
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meterFactory = meters.GetRequiredService<IMeterFactory>();
        using var durations = new MetricCollector<double>(meterFactory, "CachePurge", "cachepurge.completion.duration");

        await using var dispatcher = Start(options, meterFactory);
        dispatcher.Commit(paths);
        await dispatcher.DrainAsync();

        Assert.Equal(paths.Order(), server.Purged("contentPaths").Order());
        var purges = server.Calls.Where(c => c.Member == "contentPaths").ToList();
        Assert.All(purges, call => Assert.Equal(HttpStatusCode.Accepted, call.Status));
        Assert.All(purges, call => Assert.InRange(call.Items.Length, 1, 100));
        Assert.All(server.Accepted, accepted => Assert.Equal(Domains, accepted.Domains));

        // Acknowledged when accepted; completed when the operation says so, each asked about until it did.
        await Eventually.WaitUntilAsync(() => dispatcher.GetCdnCompletions().Single().Completed.Count == purges.Count, seconds: 20);
        var completions = Assert.Single(dispatcher.GetCdnCompletions());
        Assert.Equal("afd", completions.Endpoint);
        Assert.Empty(completions.Pending);
        Assert.Equal(250, completions.Completed.Sum(c => c.Items));
        Assert.All(completions.Completed, c => Assert.True(c.Duration >= server.Limits.CompletionDelay * 0.9, $"{c.Duration} before the operation was done"));
        Assert.All(completions.Completed, c => Assert.Null(c.Failed));
        Assert.Contains(server.Calls, c => c.Member == "operation" && c.Items[1] == "InProgress");
        Assert.Equal(purges.Count, durations.GetMeasurementSnapshot().Count);
        Assert.All(durations.GetMeasurementSnapshot(), m => Assert.Equal(("afd", "completed"), ((string)m.Tags["cachepurge.endpoint"]!, (string)m.Tags["cachepurge.outcome"]!)));

        // Azure.Identity keeps the token: asked for at most once by each of the workers that started together.
        Assert.InRange(server.Calls.Count(c => c.Member == "token"), 1, 4);
        Assert.DoesNotContain(server.Calls, c => c.Member == "token" && c.Status != HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_storm_of_5000_paths_stays_within_arms_write_bucket_without_a_single_429()
    {
        await using var server = await StartAsync();
        var paths = Enumerable.Range(0, 5_000).Select(i => $"/storm/{i}").ToArray();

        await using (var dispatcher = Start(DispatcherFactory.Options(Endpoint(server))))
        {
            foreach (var chunk in paths.Chunk(50))
            {
                dispatcher.Commit(chunk);
            }

            await dispatcher.DrainAsync(seconds: 60);
        }

        Assert.Equal(0, server.CountStatus(HttpStatusCode.TooManyRequests));
        Assert.Equal(paths.Order(), server.Purged("contentPaths").Order());
        Assert.All(server.Calls.Where(c => c.Member == "contentPaths"), call => Assert.InRange(call.Items.Length, 1, 100));
    }

    [Fact]
    public async Task A_write_bucket_smaller_than_the_documented_one_answers_429_with_retry_after_and_nothing_is_lost()
    {
        // The proof that the storm above is quiet because the engine keeps to ARM's bucket, not because the server is lenient.
        await using var server = await StartAsync(AzureFrontDoorContractLimits.Documented with { PathsPerCall = 10, WriteBurst = 10, WritesPerSecond = 20 });
        var endpoint = Endpoint(server);
        endpoint.ItemsPerCall = 10;
        var paths = Enumerable.Range(0, 1_000).Select(i => $"/over/{i}").ToArray();

        await using (var dispatcher = Start(DispatcherFactory.Options(endpoint)))
        {
            foreach (var chunk in paths.Chunk(100))
            {
                dispatcher.Commit(chunk);
            }

            await dispatcher.DrainAsync(seconds: 60);
        }

        Assert.True(server.CountStatus(HttpStatusCode.TooManyRequests) > 0);
        Assert.Equal(paths.Order(), server.Purged("contentPaths").Distinct().Order());
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task Purges_answered_with_429_or_5xx_are_sent_again_and_nothing_is_lost(HttpStatusCode failure)
    {
        await using var server = await StartAsync();
        server.Inject(failure, 4);
        var paths = Enumerable.Range(0, 600).Select(i => $"/again/{i}").ToArray();

        await using (var dispatcher = Start(DispatcherFactory.Options(Endpoint(server))))
        {
            foreach (var chunk in paths.Chunk(100))
            {
                dispatcher.Commit(chunk);
            }

            await dispatcher.DrainAsync(seconds: 60);
        }

        Assert.Equal(4, server.CountStatus(failure));
        Assert.Equal(paths.Order(), server.Purged("contentPaths").Distinct().Order());
    }

    [Fact]
    public async Task A_purge_whose_operation_fails_is_sent_again_and_then_completes()
    {
        await using var server = await StartAsync();
        server.FailNextOperations(1);
        string[] paths = ["/fails/a", "/fails/b", "/fails/c"];

        await using var dispatcher = Start(DispatcherFactory.Options(Endpoint(server)));
        dispatcher.Commit(paths);

        await Eventually.WaitUntilAsync(() => dispatcher.GetCdnCompletions().Single().Completed.Any(c => c.Failed is null), seconds: 60);
        var completed = dispatcher.GetCdnCompletions().Single().Completed;
        var failed = Assert.Single(completed, c => c.Failed is not null);
        Assert.Equal("operation Failed: PurgeFailed: The purge could not be completed.", failed.Failed);
        var succeeded = Assert.Single(completed, c => c.Failed is null);
        Assert.Equal(3, succeeded.Items);

        // Each path was sent twice: once in the operation that failed, once again.
        Assert.Equal(paths.Concat(paths).Order(), server.Purged("contentPaths").Order());
        await dispatcher.DrainAsync();
    }

    [Fact]
    public async Task Nothing_asks_the_cdn_while_no_purge_is_pending_there()
    {
        await using var server = await StartAsync(AzureFrontDoorContractLimits.Documented with { CompletionDelay = TimeSpan.FromSeconds(2) });
        await using var dispatcher = Start(DispatcherFactory.Options(Endpoint(server)));

        // An idle site: no worker, no timer.
        Assert.False(dispatcher.IsAskingForCompletions("afd"));

        dispatcher.Commit("/idle");
        await Eventually.WaitUntilAsync(() => dispatcher.GetCdnCompletions().Single().Pending.Count == 1, seconds: 10);
        Assert.True(dispatcher.IsAskingForCompletions("afd"));

        await Eventually.WaitUntilAsync(() => dispatcher.GetCdnCompletions().Single().Completed.Count == 1, seconds: 20);
        await Eventually.WaitUntilAsync(() => !dispatcher.IsAskingForCompletions("afd"), seconds: 5);
        Assert.Empty(dispatcher.GetCdnCompletions().Single().Pending);

        // The next purge starts asking again.
        dispatcher.Commit("/idle-again");
        await Eventually.WaitUntilAsync(() => dispatcher.GetCdnCompletions().Single().Completed.Count == 2, seconds: 20);
        await Eventually.WaitUntilAsync(() => !dispatcher.IsAskingForCompletions("afd"), seconds: 5);
    }

    [Fact]
    public async Task A_wrong_client_secret_becomes_a_refused_purge_with_entra_ids_error_and_arm_is_never_called()
    {
        await using var server = await StartAsync();
        var endpoint = Endpoint(server);
        endpoint.ApiToken = "wrong-secret";
        var options = DispatcherFactory.Options(endpoint);
        options.DeadLetterAfter = TimeSpan.FromSeconds(1.5);

        await using var dispatcher = Start(options);
        dispatcher.Commit("/a");
        await Eventually.WaitUntilAsync(() => dispatcher.GetDeadLetters().Count == 1, seconds: 20);

        var result = dispatcher.GetRecentResults().First();
        Assert.Equal(PurgeOutcome.Refused, result.Outcome);
        Assert.Null(result.Status);
        Assert.StartsWith("Entra ID gave no token to ClientSecret " + server.ClientId + ": ", result.Error, StringComparison.Ordinal);
        Assert.Contains("AADSTS7000215: Invalid client secret provided.", result.Error, StringComparison.Ordinal);
        Assert.Contains("AADSTS7000215", dispatcher.GetDeadLetters().LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Calls, c => c.Member == "contentPaths");
    }

    [Fact]
    public async Task Purging_everything_purges_every_path_of_the_site_domains()
    {
        await using var server = await StartAsync();
        var options = DispatcherFactory.Options(Endpoint(server));
        options.SiteHosts = [.. Domains];

        await using var dispatcher = Start(options);
        Assert.Equal(PurgeEverythingMethod.Everything, dispatcher.PurgeEverything(siteTag: null)["afd"]);
        await dispatcher.DrainAsync();

        var accepted = Assert.Single(server.Accepted);
        Assert.Equal(["/*"], accepted.Paths);
        Assert.Equal(Domains, accepted.Domains);
    }

    [Fact]
    public void A_front_door_that_must_never_purge_everything_cannot_and_takes_no_tags()
    {
        var endpoint = new CacheEndpoint { Name = "afd", Kind = CacheKind.AzureFrontDoor, NeverPurgeEverything = true };

        Assert.Equal(PurgeEverythingMethod.NotPossible, endpoint.HowToPurgeEverything(pagesCarrySiteTag: true));
        Assert.False(endpoint.CanPurgeEverything);
        Assert.False(endpoint.CanPurgeTags);
    }

    [Fact]
    public async Task A_call_is_the_documented_post_with_content_paths_without_query_strings_and_domains()
    {
        var endpoint = new CacheEndpoint
        {
            Name = "afd",
            Kind = CacheKind.AzureFrontDoor,
            AzureSubscriptionId = "00000000-0000-0000-0000-000000000000",
            AzureResourceGroup = "RG",
            AzureProfile = "profile1",
            AzureEndpoint = "endpoint1",
        };
        SiteHost[] hosts = [new("www.example.com", null), new("example.com", null)];
        var protocol = CacheProtocol.For(endpoint, new SiteAddresses(hosts, "/blog"));

        using var paths = protocol.CreateRequest(new PurgeCall(PurgeTargetKind.Path, ["/blog/a", "/blog/b?page=2", "/blog/b"], hosts));
        using var everything = protocol.CreateRequest(new PurgeCall(PurgeTargetKind.Everything, ["*"], hosts));

        Assert.Equal(HttpMethod.Post, paths.Method);
        Assert.Equal("https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/RG/providers/Microsoft.Cdn/profiles/profile1/afdEndpoints/endpoint1/purge?api-version=2025-04-15", paths.RequestUri!.ToString());
        Assert.Equal("application/json", paths.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("""{"contentPaths":["/blog/a","/blog/b"],"domains":["www.example.com","example.com"]}""", await paths.Content.ReadAsStringAsync());
        Assert.Equal("""{"contentPaths":["/blog/*"],"domains":["www.example.com","example.com"]}""", await everything.Content!.ReadAsStringAsync());
        Assert.Equal(PurgeCompletion.ReportedLater, protocol.Capabilities.Completion);
    }

    [Fact]
    public async Task The_connection_check_signs_in_and_reads_the_endpoint_by_its_host_name_without_purging()
    {
        await using var server = await StartAsync();
        await using var dispatcher = Start(DispatcherFactory.Options(Endpoint(server)));

        var check = await dispatcher.CheckConnectionAsync("afd");

        Assert.NotNull(check);
        Assert.Equal(ConnectionCheckOutcome.Succeeded, check.Outcome);
        Assert.Equal($"token issued; endpoint {server.Endpoint} ({server.HostName})", check.Description);
        Assert.Equal(["token", "endpoint"], server.Calls.Select(c => c.Member));
    }

    [Fact]
    public async Task The_connection_check_with_a_wrong_secret_is_refused_with_entra_ids_error()
    {
        await using var server = await StartAsync();
        var endpoint = Endpoint(server);
        endpoint.ApiToken = "wrong-secret";
        await using var dispatcher = Start(DispatcherFactory.Options(endpoint));

        var check = await dispatcher.CheckConnectionAsync("afd");

        Assert.NotNull(check);
        Assert.Equal(ConnectionCheckOutcome.Refused, check.Outcome);
        Assert.True(check.Description.Contains("AADSTS7000215: Invalid client secret provided.", StringComparison.Ordinal), check.Description);
        Assert.DoesNotContain(server.Calls, c => c.Member == "endpoint");
    }

    private static Task<AzureFrontDoorContractServer> StartAsync(AzureFrontDoorContractLimits? limits = null) =>
        AzureFrontDoorContractServer.StartAsync("secret-" + Guid.NewGuid().ToString("N"), Domains, limits);

    private static PurgeDispatcher Start(CachePurgeOptions options, IMeterFactory? meterFactory = null)
    {
        var dispatcher = new PurgeDispatcher("test", options, TrustingClients.Value, meterFactory: meterFactory);
        dispatcher.Start();
        return dispatcher;
    }

    // A subscription of its own in every test: the engine shares ARM's write bucket between endpoints of one subscription.
    private static CacheEndpoint Endpoint(AzureFrontDoorContractServer server) => new()
    {
        Name = "afd",
        Kind = CacheKind.AzureFrontDoor,
        BaseUrl = server.ResourceManager,
        AzureSubscriptionId = server.SubscriptionId,
        AzureResourceGroup = server.ResourceGroup,
        AzureProfile = server.Profile,
        AzureEndpoint = server.Endpoint,
        AzureTenantId = server.TenantId,
        AzureClientId = server.ClientId,
        ApiToken = server.ClientSecret,
        AzureAuthorityHost = server.ResourceManager,
        Timeout = TimeSpan.FromSeconds(5),
        MaxConcurrency = 4,
    };
}
