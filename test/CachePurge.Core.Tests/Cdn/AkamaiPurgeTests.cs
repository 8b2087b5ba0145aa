using System.Net;
using System.Text;
using CachePurge.Core.Protocols;
using CachePurge.Core.Protocols.Akamai;
using CachePurge.Core.Tests.Infrastructure;
using CachePurge.Testing.Cdn;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CachePurge.Core.Tests.Cdn;

/// <summary>The engine against the Akamai contract server, which checks EdgeGrid signatures and enforces Fast Purge's documented API and limits.</summary>
public sealed class AkamaiPurgeTests
{
    [Fact]
    public async Task A_call_is_a_signed_post_of_objects_to_the_action_type_and_network()
    {
        await using var server = await AkamaiContractServer.StartAsync(cpCodes: [12345, 98765]);
        var endpoint = Endpoint(server, 12345, 98765);
        endpoint.AkamaiNetwork = AkamaiNetwork.Staging;
        endpoint.AkamaiPurgeAction = AkamaiPurgeAction.Delete;
        SiteHost[] hosts = [new("www.example.com", null)];
        var protocol = CacheProtocol.For(endpoint, new SiteAddresses(hosts, ""));

        using var urls = protocol.CreateRequest(new PurgeCall(PurgeTargetKind.Path, ["/a", "/b?page=2"], hosts));
        using var tags = protocol.CreateRequest(new PurgeCall(PurgeTargetKind.Tag, ["ci-1", "ci-2"], hosts));
        using var everything = protocol.CreateRequest(new PurgeCall(PurgeTargetKind.Everything, ["*"], hosts));

        Assert.Equal(HttpMethod.Post, urls.Method);
        Assert.Equal(new Uri(server.BaseUrl, "/ccu/v3/delete/url/staging"), urls.RequestUri);
        Assert.Equal(new Uri(server.BaseUrl, "/ccu/v3/delete/tag/staging"), tags.RequestUri);
        Assert.Equal(new Uri(server.BaseUrl, "/ccu/v3/delete/cpcode/staging"), everything.RequestUri);
        Assert.Equal("application/json", urls.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("""{"objects":["https://www.example.com/a","https://www.example.com/b?page=2"]}""", await urls.Content.ReadAsStringAsync());
        Assert.Equal("""{"objects":["ci-1","ci-2"]}""", await tags.Content!.ReadAsStringAsync());
        Assert.Equal("""{"objects":[12345,98765]}""", await everything.Content!.ReadAsStringAsync());

        // The contract server's own verifier accepts the engine's signature of the body it sends.
        var authorization = Assert.Single(urls.Headers.GetValues("Authorization"));
        Assert.StartsWith($"EG1-HMAC-SHA256 client_token={server.ClientToken};access_token={server.AccessToken};timestamp=", authorization, StringComparison.Ordinal);
        var verifier = new EdgeGridVerifier(server.ClientToken, server.ClientSecret, server.AccessToken);
        var body = await urls.Content.ReadAsByteArrayAsync();
        Assert.Null(verifier.Check(authorization, "POST", "http", urls.RequestUri!.Authority, urls.RequestUri.PathAndQuery, new Dictionary<string, string>(), body, DateTimeOffset.UtcNow, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Paths_are_purged_as_absolute_urls_for_every_host_and_scheme()
    {
        await using var server = await AkamaiContractServer.StartAsync();
        var endpoint = Endpoint(server);
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
        Assert.Equal(expected.Order(), server.Purged("url").Order());
        Assert.All(server.Calls, call => Assert.Equal(HttpStatusCode.Created, call.Status));
        Assert.All(server.PurgePaths, path => Assert.Equal("/ccu/v3/invalidate/url/production", path));

        // A path's four URLs travel together.
        Assert.All(server.Calls, call => Assert.Equal(0, call.Items.Length % 4));
    }

    [Fact]
    public async Task Calls_carry_as_many_urls_as_fit_in_50_kb_and_none_is_refused_as_too_large()
    {
        await using var server = await AkamaiContractServer.StartAsync();
        var filler = new string('x', 200);
        var paths = Enumerable.Range(0, 1_500).Select(i => $"/long/{i:D5}/{filler}").ToArray();

        await using (var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Endpoint(server))))
        {
            dispatcher.Commit(paths);
            await dispatcher.DrainAsync();
        }

        Assert.Equal(paths.Select(p => "https://www.example.com" + p).Order(), server.Purged("url").Order());
        Assert.Equal(0, server.CountStatus(HttpStatusCode.RequestEntityTooLarge));

        // Each URL is 235 characters, 238 bytes in the body (quoted, with a comma): 210 fit in a body of 50,000 bytes, 211 do not.
        var urlBytes = Encoding.UTF8.GetByteCount("https://www.example.com" + paths[0]) + 3;
        var fit = (AkamaiProtocol.MaxBodyBytes - 14) / urlBytes;
        Assert.Equal(210, fit);
        Assert.All(server.Calls, call => Assert.InRange(call.Items.Length, 1, fit));
        Assert.Contains(server.Calls, call => call.Items.Length == fit);
    }

    [Fact]
    public async Task Tags_are_sent_together_as_cache_tags()
    {
        await using var server = await AkamaiContractServer.StartAsync();
        var tags = Enumerable.Range(0, 250).Select(i => $"ci-{i}").ToArray();

        await using (var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Endpoint(server))))
        {
            var batch = dispatcher.CreateBatch();
            foreach (var tag in tags)
            {
                batch.AddTag(tag);
            }

            batch.Commit();
            await dispatcher.DrainAsync();
        }

        Assert.Equal(tags.Order(), server.Purged("tag").Order());
        Assert.All(server.PurgePaths, path => Assert.Equal("/ccu/v3/invalidate/tag/production", path));
        Assert.True(server.Calls.Count < 10, $"{server.Calls.Count} calls for 250 tags");
    }

    [Fact]
    public async Task Purging_everything_purges_the_sites_cp_codes()
    {
        await using var server = await AkamaiContractServer.StartAsync(cpCodes: [12345, 98765]);

        await using (var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Endpoint(server, 12345, 98765))))
        {
            Assert.Equal(PurgeEverythingMethod.Everything, dispatcher.PurgeEverything(siteTag: null)["akamai"]);
            await dispatcher.DrainAsync();
        }

        var call = Assert.Single(server.Calls);
        Assert.Equal("cpcode", call.Member);
        Assert.Equal(["12345", "98765"], call.Items);
        Assert.Equal(["/ccu/v3/invalidate/cpcode/production"], server.PurgePaths);
    }

    [Theory]
    [InlineData(false, PurgeEverythingMethod.NotPossible)]
    [InlineData(true, PurgeEverythingMethod.SiteTag)]
    public void Without_cp_codes_everything_is_purged_by_the_site_tag_or_not_at_all(bool pagesCarrySiteTag, PurgeEverythingMethod expected)
    {
        var endpoint = new CacheEndpoint { Name = "akamai", Kind = CacheKind.Akamai };

        Assert.Equal(expected, endpoint.HowToPurgeEverything(pagesCarrySiteTag));
        Assert.False(endpoint.CanPurgeEverything);
        Assert.True(endpoint.CanPurgeTags);
    }

    [Fact]
    public async Task A_tag_longer_than_128_characters_is_covered_by_a_cp_code_purge_and_logged()
    {
        await using var server = await AkamaiContractServer.StartAsync(cpCodes: [12345]);
        var longTag = new string('t', 129);
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(new FakeLoggerProvider(logs)));

        await using (var dispatcher = new PurgeDispatcher("test", DispatcherFactory.Options(Endpoint(server, 12345)), DispatcherFactory.HttpClientFactory, loggerFactory))
        {
            dispatcher.Start();
            var batch = dispatcher.CreateBatch();
            batch.AddTag("short");
            batch.AddTag(longTag);
            batch.Commit();
            await dispatcher.DrainAsync();
        }

        Assert.Equal(["short"], server.Purged("tag"));
        Assert.Equal(["12345"], server.Purged("cpcode"));
        Assert.DoesNotContain(server.Calls, call => call.Items.Contains(longTag));
        var covered = Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 4155);
        Assert.Contains("purging everything", covered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tag_longer_than_128_characters_without_cp_codes_is_not_sent_and_is_logged()
    {
        await using var server = await AkamaiContractServer.StartAsync();
        var logs = new FakeLogCollector();
        using var loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(new FakeLoggerProvider(logs)));

        await using (var dispatcher = new PurgeDispatcher("test", DispatcherFactory.Options(Endpoint(server)), DispatcherFactory.HttpClientFactory, loggerFactory))
        {
            dispatcher.Start();
            var batch = dispatcher.CreateBatch();
            batch.AddTag("short");
            batch.AddTag(new string('t', 129));
            batch.Commit();
            await dispatcher.DrainAsync();
        }

        Assert.Equal(["short"], server.Purged("tag"));
        Assert.Single(server.Calls);
        Assert.Single(logs.GetSnapshot(), r => r.Id.Id == 4156);
    }

    [Fact]
    public async Task A_storm_of_5000_purges_stays_within_the_buckets_without_a_single_429()
    {
        await using var server = await AkamaiContractServer.StartAsync();
        var paths = Enumerable.Range(0, 5_000).Select(i => $"/storm/{i}").ToArray();

        await using (var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Endpoint(server))))
        {
            foreach (var chunk in paths.Chunk(50))
            {
                dispatcher.Commit(chunk);
            }

            await dispatcher.DrainAsync(seconds: 60);
        }

        Assert.Equal(0, server.CountStatus(HttpStatusCode.TooManyRequests));
        Assert.Equal(paths.Select(p => "https://www.example.com" + p).Order(), server.Purged("url").Order());
        Assert.All(server.Calls, call => Assert.Equal("url", call.Member));
    }

    [Fact]
    public async Task The_contract_server_answers_429_beyond_its_url_bucket_and_the_engine_loses_nothing()
    {
        // The proof that the storm above is quiet because the engine keeps to the buckets, not because the server is
        // lenient: an account whose URL bucket is a tenth of the documented one refuses the engine's burst.
        await using var server = await AkamaiContractServer.StartAsync(AkamaiContractLimits.Documented with { UrlBurst = 1_000, UrlsPerSecond = 400 });
        var paths = Enumerable.Range(0, 2_500).Select(i => $"/over/{i}").ToArray();

        await using (var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Endpoint(server))))
        {
            dispatcher.Commit(paths);
            await dispatcher.DrainAsync(seconds: 60);
        }

        Assert.True(server.CountStatus(HttpStatusCode.TooManyRequests) > 0);
        Assert.Equal(paths.Select(p => "https://www.example.com" + p).Order(), server.Purged("url").Distinct().Order());
    }

    [Theory]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task Calls_answered_with_429_or_5xx_are_sent_again_and_nothing_is_lost(HttpStatusCode failure)
    {
        await using var server = await AkamaiContractServer.StartAsync();
        server.Inject(failure, 2);
        var paths = Enumerable.Range(0, 1_000).Select(i => $"/again/{i}").ToArray();

        await using (var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Endpoint(server))))
        {
            foreach (var chunk in paths.Chunk(100))
            {
                dispatcher.Commit(chunk);
            }

            await dispatcher.DrainAsync(seconds: 60);
        }

        Assert.Equal(2, server.CountStatus(failure));
        Assert.Equal(paths.Select(p => "https://www.example.com" + p).Order(), server.Purged("url").Distinct().Order());
    }

    [Fact]
    public async Task A_429_without_retry_after_is_waited_out_for_the_documented_five_seconds()
    {
        await using var server = await AkamaiContractServer.StartAsync();
        server.Inject(HttpStatusCode.TooManyRequests, 1);
        var protocol = Protocol(Endpoint(server));

        using var client = new HttpClient();
        using var response = await client.SendAsync(protocol.CreateRequest(new PurgeCall(PurgeTargetKind.Path, ["/a"], [new("www.example.com", null)])));
        Assert.Null(response.Headers.RetryAfter);
        Assert.Equal("10000", Assert.Single(response.Headers.GetValues("X-RateLimit-Limit-Objects")));

        var answer = await protocol.ReadAnswerAsync(response, CancellationToken.None);

        Assert.Equal(PurgeOutcome.Failed, answer.Outcome);
        Assert.StartsWith("HTTP 429 Too Many Requests: Rate Limit exceeded", answer.Error, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task An_accepted_purge_gives_a_ticket_done_at_its_estimated_time_with_nothing_to_ask()
    {
        await using var server = await AkamaiContractServer.StartAsync();
        var protocol = Protocol(Endpoint(server));
        SiteHost[] hosts = [new("www.example.com", null), new("example.com", null)];

        using var client = new HttpClient();
        using var response = await client.SendAsync(protocol.CreateRequest(new PurgeCall(PurgeTargetKind.Path, ["/a", "/b"], hosts)));
        var answer = await protocol.ReadAnswerAsync(response, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(PurgeOutcome.Purged, answer.Outcome);
        Assert.Equal(new PurgeTicket("edcp-000001", 4, Estimated: TimeSpan.FromSeconds(5)), answer.Ticket);
        Assert.Equal(PurgeCompletion.ReportedLater, protocol.Capabilities.Completion);
        Assert.Null(await protocol.CreateCompletionRequestAsync(answer.Ticket!, CancellationToken.None));
    }

    [Fact]
    public async Task A_wrong_client_secret_is_refused_and_akamais_problem_reaches_the_results_and_the_dead_letters()
    {
        await using var server = await AkamaiContractServer.StartAsync();
        var endpoint = Endpoint(server);
        endpoint.ApiToken = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
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
        Assert.Equal(401, result.Status);
        Assert.Equal("HTTP 401 Unauthorized: Not authorized (The signature does not match)", result.Error);
        Assert.Equal("HTTP 401 Unauthorized: Not authorized (The signature does not match)", dispatcher.GetDeadLetters().LastError);
        Assert.All(server.Calls, call => Assert.Equal(HttpStatusCode.Unauthorized, call.Status));
        Assert.Contains(logs.GetSnapshot(), r => r.Id.Id == 4140 && r.Message.Contains("The signature does not match", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(-45)]
    [InlineData(45)]
    public async Task A_request_signed_more_than_30_seconds_off_the_servers_clock_is_refused_as_akamai_does(int seconds)
    {
        await using var server = await AkamaiContractServer.StartAsync();
        var skewed = new FakeTimeProvider(DateTimeOffset.UtcNow.AddSeconds(seconds));
        var protocol = new AkamaiProtocol(Endpoint(server), new SiteAddresses([new("www.example.com", null)], ""), skewed);

        using var client = new HttpClient();
        using var response = await client.SendAsync(protocol.CreateRequest(new PurgeCall(PurgeTargetKind.Path, ["/a"], [new("www.example.com", null)])));
        var answer = await protocol.ReadAnswerAsync(response, CancellationToken.None);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(PurgeOutcome.Failed, answer.Outcome);
        Assert.Equal("HTTP 400 Bad Request: Bad request (Invalid timestamp)", answer.Error);
    }

    [Fact]
    public async Task The_contract_server_refuses_a_body_over_50_kb_a_replayed_nonce_and_an_unknown_token()
    {
        await using var server = await AkamaiContractServer.StartAsync();
        var signer = new EdgeGridSigner(server.ClientToken, server.ClientSecret, server.AccessToken);
        var uri = new Uri(server.BaseUrl, "/ccu/v3/invalidate/url/production");
        using var client = new HttpClient();

        var large = Encoding.UTF8.GetBytes("{\"objects\":[" + string.Join(',', Enumerable.Range(0, 2_000).Select(i => $"\"https://www.example.com/{i:D20}\"")) + "]}");
        Assert.True(large.Length > AkamaiContractServer.MaxBodyBytes);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await SendAsync(client, uri, large, signer.Sign("POST", uri, [], large, Now(), "n-1"))).StatusCode);

        var small = """{"objects":["https://www.example.com/a"]}"""u8.ToArray();
        var once = signer.Sign("POST", uri, [], small, Now(), "n-2");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, uri, small, once)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, uri, small, once)).StatusCode);

        var stranger = new EdgeGridSigner("akab-client-unknown", server.ClientSecret, server.AccessToken);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, uri, small, stranger.Sign("POST", uri, [], small, Now(), "n-3"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, uri, small, null)).StatusCode);
    }

    [Fact]
    public async Task Test_connection_reads_the_rate_limit_status_without_purging()
    {
        await using var server = await AkamaiContractServer.StartAsync();
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Endpoint(server)));

        var check = await dispatcher.CheckConnectionAsync("akamai");

        Assert.NotNull(check);
        Assert.Equal(ConnectionCheckOutcome.Succeeded, check.Outcome);
        Assert.Equal("credentials accepted; 10000 of 10000 URL purges left", check.Description);
        Assert.Equal(["rate-limit-status"], server.Calls.Select(c => c.Member));
        Assert.Empty(server.PurgePaths);
    }

    [Fact]
    public async Task Test_connection_with_a_wrong_secret_is_refused_with_akamais_problem()
    {
        await using var server = await AkamaiContractServer.StartAsync();
        var endpoint = Endpoint(server);
        endpoint.ApiToken = "wrong-secret";
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(endpoint));

        var check = await dispatcher.CheckConnectionAsync("akamai");

        Assert.NotNull(check);
        Assert.Equal(ConnectionCheckOutcome.Refused, check.Outcome);
        Assert.Equal("the EdgeGrid credentials were refused: HTTP 401 Unauthorized: Not authorized (The signature does not match)", check.Description);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Uri uri, byte[] body, string? authorization)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        return await client.SendAsync(request);
    }

    private static string Now() => EdgeGridSigner.FormatTimestamp(DateTimeOffset.UtcNow);

    private static AkamaiProtocol Protocol(CacheEndpoint endpoint) => (AkamaiProtocol)CacheProtocol.For(endpoint, new SiteAddresses([new("www.example.com", null)], ""));

    // Every server makes an API client of its own, so each test has its own rate buckets (shared per account).
    private static CacheEndpoint Endpoint(AkamaiContractServer server, params int[] cpCodes) => new()
    {
        Name = "akamai",
        Kind = CacheKind.Akamai,
        BaseUrl = server.BaseUrl.ToString(),
        ClientToken = server.ClientToken,
        AccessToken = server.AccessToken,
        ApiToken = server.ClientSecret,
        CpCodes = [.. cpCodes],
        Timeout = TimeSpan.FromSeconds(5),
        MaxConcurrency = 4,
    };
}
