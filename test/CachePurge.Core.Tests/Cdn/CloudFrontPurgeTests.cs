using System.Net;
using System.Text;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Signing;
using CachePurge.Core.Protocols;
using CachePurge.Core.Protocols.CloudFront;
using CachePurge.Core.Tests.Infrastructure;
using CachePurge.Testing.Cdn;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CachePurge.Core.Tests.Cdn;

/// <summary>
/// The engine against the CloudFront contract server, which verifies every SigV4 signature with its own verifier and
/// enforces the documented invalidation API, its per-call and in-progress limits, and completes invalidations later.
/// </summary>
public sealed class CloudFrontPurgeTests
{
    [Fact]
    public async Task A_call_is_a_signed_post_of_an_invalidation_batch_of_site_paths()
    {
        var endpoint = new CacheEndpoint { Name = "cf", Kind = CacheKind.CloudFront, BaseUrl = "https://cloudfront.amazonaws.com", DistributionId = "EDFDVBD6EXAMPLE", AccessKeyId = "AKIAIOSFODNN7EXAMPLE", ApiToken = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ItemsPerCall = 3_000 };
        SiteHost[] hosts = [new("www.example.com", null), new("example.com", null)];
        var protocol = CacheProtocol.For(endpoint, new SiteAddresses(hosts, ""));

        using var request = protocol.CreateRequest(new PurgeCall(PurgeTargetKind.Path, ["/a", "/b?page=2&x=1"], hosts));
        var body = await request.Content!.ReadAsStringAsync();

        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("https://cloudfront.amazonaws.com/2020-05-31/distribution/EDFDVBD6EXAMPLE/invalidation", request.RequestUri!.ToString());
        Assert.Equal("text/xml", request.Content.Headers.ContentType!.MediaType);
        Assert.Matches(
            """^<\?xml version="1.0" encoding="utf-8"\?><InvalidationBatch xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/"><CallerReference>cachepurge-[0-9a-f]{32}</CallerReference><Paths><Items><Path>/a</Path><Path>/b\?page=2&amp;x=1</Path></Items><Quantity>2</Quantity></Paths></InvalidationBatch>$""",
            body);
        Assert.Matches(@"^AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/\d{8}/us-east-1/cloudfront/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$", request.Headers.GetValues("Authorization").Single());
        Assert.Single(request.Headers.GetValues("X-Amz-Date"));
        Assert.Equal(PurgeCompletion.ReportedLater, protocol.Capabilities.Completion);
        Assert.Equal(3_000, protocol.Capabilities.MaxItemsInProgress);
        Assert.False(protocol.Supports(PurgeTargetKind.Tag));
    }

    [Fact]
    public async Task The_protocol_submits_an_invalidation_then_asks_for_it_until_it_is_completed()
    {
        await using var server = await CloudFrontContractServer.StartAsync(TimeSpan.FromMilliseconds(600));
        var protocol = CacheProtocol.For(Endpoint(server), SiteAddresses.None);
        using var client = new HttpClient();

        using var created = await client.SendAsync(protocol.CreateRequest(new PurgeCall(PurgeTargetKind.Path, ["/blog/a", "/blog/b"], [new("www.example.com", null)])));
        var answer = await protocol.ReadAnswerAsync(created, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(PurgeOutcome.Purged, answer.Outcome);
        var ticket = Assert.IsType<PurgeTicket>(answer.Ticket);
        Assert.Equal(2, ticket.Items);
        Assert.Equal($"https://cloudfront.amazonaws.com/2020-05-31/distribution/{server.DistributionId}/invalidation/{ticket.Id}", ticket.StatusUri!.ToString());

        List<CompletionStatus> seen = [];
        var started = DateTime.UtcNow;
        while (seen.LastOrDefault() != CompletionStatus.Completed)
        {
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "never completed");
            using var ask = (await protocol.CreateCompletionRequestAsync(ticket, CancellationToken.None))!;
            using var status = await client.SendAsync(ask);
            var completion = await protocol.ReadCompletionAsync(ticket, status, CancellationToken.None);
            Assert.Null(completion.Error);
            seen.Add(completion.Status);
            await Task.Delay(100);
        }

        Assert.Equal(CompletionStatus.InProgress, seen[0]);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(500));
        Assert.Equal(["/blog/a", "/blog/b"], Assert.Single(server.Invalidations));
    }

    [Theory]
    [InlineData("<Invalidation xmlns=\"http://cloudfront.amazonaws.com/doc/2020-05-31/\"><Id>I2J0I21PCUYOIK</Id><Status>Completed</Status></Invalidation>")]
    [InlineData("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Invalidation><CreateTime>2026-11-30T01:02:03Z</CreateTime><Id>I2J0I21PCUYOIK</Id><Status>Completed</Status></Invalidation>")]
    public async Task A_completed_invalidation_is_read_with_or_without_the_namespace(string xml)
    {
        var protocol = CacheProtocol.For(new CacheEndpoint { Name = "cf", Kind = CacheKind.CloudFront, BaseUrl = "https://cloudfront.amazonaws.com", DistributionId = "EDFDVBD6EXAMPLE" }, SiteAddresses.None);
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(xml, Encoding.UTF8, "text/xml") };

        var answer = await protocol.ReadCompletionAsync(new PurgeTicket("I2J0I21PCUYOIK", 1), response, CancellationToken.None);

        Assert.Equal(new CompletionAnswer(CompletionStatus.Completed), answer);
    }

    [Fact]
    public async Task Paths_are_invalidated_once_for_every_host_in_calls_within_the_items_per_call()
    {
        await using var server = await CloudFrontContractServer.StartAsync(TimeSpan.FromMilliseconds(100));
        var options = DispatcherFactory.Options(Endpoint(server, itemsPerCall: 10));
        options.SiteHosts = ["www.example.com", "example.com"];
        var paths = Enumerable.Range(0, 25).Select(i => $"/p{i}").ToArray();

        await using (var dispatcher = DispatcherFactory.Start(options))
        {
            dispatcher.Commit(paths);
            await dispatcher.DrainAsync();
        }

        Assert.Equal(paths.Order(), server.Purged("invalidation").Order());
        Assert.All(server.Calls, call => Assert.Equal(HttpStatusCode.Created, call.Status));
        Assert.All(server.Calls, call => Assert.InRange(call.Items.Length, 1, 10));
    }

    [Fact]
    public async Task A_storm_of_5000_paths_never_has_more_than_3000_in_progress_and_loses_nothing()
    {
        await using var server = await CloudFrontContractServer.StartAsync(TimeSpan.FromMilliseconds(300));
        var paths = Enumerable.Range(0, 5_000).Select(i => $"/storm/{i}").ToArray();
        var endpoint = Endpoint(server, itemsPerCall: 3_000);
        endpoint.MonthlyPathBudget = 10_000;

        await using (var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(endpoint)))
        {
            foreach (var chunk in paths.Chunk(100))
            {
                dispatcher.Commit(chunk);
            }

            await dispatcher.DrainAsync(seconds: 60);
            Assert.Equal(0, dispatcher.GetDeadLetters().Count);
            Assert.Equal(5_000, Assert.Single(dispatcher.GetInvalidationPathCounts()).Paths);
        }

        Assert.Equal(paths.Order(), server.Purged("invalidation").Order());
        Assert.InRange(server.PeakPathsInProgress, 1, CloudFrontContractServer.MaxPathsInProgress);
        Assert.All(server.Calls, call => Assert.InRange(call.Items.Length, 1, 3_000));
    }

    [Fact]
    public async Task The_engine_keeps_within_the_3000_paths_in_progress_so_that_CloudFront_never_refuses_its_own_storm()
    {
        await using var server = await CloudFrontContractServer.StartAsync(TimeSpan.FromSeconds(1));
        var endpoint = Endpoint(server, itemsPerCall: 3_000);
        endpoint.MonthlyPathBudget = 10_000;
        var paths = Enumerable.Range(0, 3_100).Select(i => $"/storm/{i}").ToArray();

        await using (var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(endpoint)))
        {
            dispatcher.Commit(paths);
            await dispatcher.DrainAsync(seconds: 30);
            await Eventually.WaitUntilAsync(() => server.Purged("invalidation").Count == 3_100, seconds: 30);

            // The completion tracker held the last 100 back until the first invalidation completed.
            Assert.DoesNotContain(dispatcher.GetRecentResults(), r => r.Status == 400);
            Assert.Equal(3_100, Assert.Single(dispatcher.GetInvalidationPathCounts()).Paths);
        }

        Assert.Equal(paths.Order(StringComparer.Ordinal), server.Purged("invalidation").Order(StringComparer.Ordinal));
        Assert.True(server.PeakPathsInProgress <= 3_000);
    }

    [Fact]
    public async Task Too_many_invalidations_in_progress_from_another_site_is_waited_out_and_sent_again_not_lost_nor_refused()
    {
        await using var server = await CloudFrontContractServer.StartAsync(TimeSpan.FromSeconds(1));
        var endpoint = Endpoint(server, itemsPerCall: 3_000);
        endpoint.MonthlyPathBudget = 10_000;
        var other = Enumerable.Range(0, 3_000).Select(i => $"/other/{i}").ToArray();
        var ours = Enumerable.Range(0, 100).Select(i => $"/ours/{i}").ToArray();

        // Another site on the same distribution fills what CloudFront takes in progress; this engine cannot know it.
        await using var otherSite = DispatcherFactory.Start(DispatcherFactory.Options(endpoint));
        otherSite.Commit(other);
        await Eventually.WaitUntilAsync(() => server.Purged("invalidation").Count == 3_000, seconds: 20);

        await using (var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(endpoint)))
        {
            dispatcher.Commit(ours);
            await dispatcher.DrainAsync(seconds: 30);

            var refused = dispatcher.GetRecentResults().Where(r => r.Status == 400).ToList();
            Assert.NotEmpty(refused);
            Assert.All(refused, r => Assert.Equal(PurgeOutcome.Failed, r.Outcome));
            Assert.All(refused, r => Assert.StartsWith("HTTP 400 Bad Request: TooManyInvalidationsInProgress: ", r.Error, StringComparison.Ordinal));
            Assert.Equal(0, dispatcher.GetDeadLetters().Count);
        }

        Assert.Equal(other.Concat(ours).Order(StringComparer.Ordinal), server.Purged("invalidation").Order(StringComparer.Ordinal));
        Assert.True(server.PeakPathsInProgress <= 3_000);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.ServiceUnavailable, HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.TooManyRequests, HttpStatusCode.BadRequest)]
    public async Task Calls_answered_with_5xx_or_throttling_are_sent_again_and_nothing_is_lost(HttpStatusCode injected, HttpStatusCode answered)
    {
        await using var server = await CloudFrontContractServer.StartAsync(TimeSpan.FromMilliseconds(50));
        server.Inject(injected, 3);
        var paths = Enumerable.Range(0, 300).Select(i => $"/again/{i}").ToArray();

        await using (var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Endpoint(server))))
        {
            foreach (var chunk in paths.Chunk(30))
            {
                dispatcher.Commit(chunk);
            }

            await dispatcher.DrainAsync(seconds: 30);
            Assert.Equal(0, dispatcher.GetDeadLetters().Count);
        }

        Assert.Equal(3, server.CountStatus(answered));
        Assert.Equal(paths.Order(), server.Purged("invalidation").Concat(server.Purged("again")).Distinct().Order());
    }

    [Fact]
    public async Task A_call_whose_answer_was_lost_is_retried_with_its_caller_reference_and_makes_no_second_invalidation()
    {
        await using var server = await CloudFrontContractServer.StartAsync(TimeSpan.FromMilliseconds(50));
        server.LoseAnswers(1);

        await using (var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Endpoint(server))))
        {
            dispatcher.Commit("/once");
            await dispatcher.DrainAsync();

            // Committed again after CloudFront answered: a new invalidation, not the old one replayed.
            dispatcher.Commit("/once");
            await dispatcher.DrainAsync();
            Assert.Equal(2, Assert.Single(dispatcher.GetInvalidationPathCounts()).Paths);
        }

        Assert.Equal(["lost", "again", "invalidation"], server.Calls.Select(c => c.Member));
        Assert.Equal([["/once"], ["/once"]], server.Invalidations);
    }

    [Fact]
    public async Task A_wrong_secret_is_refused_with_cloudfronts_signature_error_in_the_results_and_the_dead_letters()
    {
        await using var server = await CloudFrontContractServer.StartAsync(TimeSpan.FromMilliseconds(50));
        var endpoint = Endpoint(server);
        endpoint.ApiToken = "wrong" + server.SecretAccessKey;
        var options = DispatcherFactory.Options(endpoint);
        options.DeadLetterAfter = TimeSpan.FromSeconds(1.5);

        await using var dispatcher = DispatcherFactory.Start(options);
        dispatcher.Commit("/a");
        await Eventually.WaitUntilAsync(() => dispatcher.GetDeadLetters().Count == 1, seconds: 10);

        const string Expected = "HTTP 403 Forbidden: SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
        var result = dispatcher.GetRecentResults().First();
        Assert.Equal(PurgeOutcome.Refused, result.Outcome);
        Assert.Equal(Expected, result.Error);
        Assert.Equal(Expected, dispatcher.GetDeadLetters().LastError);
        Assert.Empty(server.Invalidations);
        Assert.Equal(0, Assert.Single(dispatcher.GetInvalidationPathCounts()).Paths);
    }

    [Fact]
    public async Task The_contract_server_refuses_no_signature_another_service_and_a_skewed_clock()
    {
        await using var server = await CloudFrontContractServer.StartAsync(TimeSpan.FromMilliseconds(50));
        using var client = new HttpClient();
        var distribution = new Uri(server.BaseUrl, $"2020-05-31/distribution/{server.DistributionId}");

        using var unsigned = await client.GetAsync(distribution);

        // What a signer derives from a host that is not cloudfront.amazonaws.com is another service's scope.
        using var otherService = new HttpRequestMessage(HttpMethod.Get, distribution);
        var signed = AWSSigV4Signer.Sign(
            new AWSSigningRequest { HttpMethod = HttpMethod.Get, RequestUri = distribution },
            new AWSSigV4Parameters { Credentials = new BasicAWSCredentials(server.AccessKeyId, server.SecretAccessKey), Region = RegionEndpoint.USEast1, Service = "127" });
        foreach (var (name, value) in signed.Headers)
        {
            otherService.Headers.TryAddWithoutValidation(name, value);
        }

        using var otherServiceAnswer = await client.SendAsync(otherService);

        // The engine's own signer on a clock ten minutes slow.
        var slow = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-10));
        var protocol = new CloudFrontProtocol(Endpoint(server), SiteAddresses.None, new MonthlyPathCounter("cf", null, slow, NullLogger.Instance));
        using var skewed = await client.SendAsync(protocol.CreateCheckRequest(0));

        Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        Assert.Contains("<Code>MissingAuthenticationToken</Code>", await unsigned.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, otherServiceAnswer.StatusCode);
        Assert.Contains("<Code>SignatureDoesNotMatch</Code><Message>Credential should be scoped to correct service: &apos;cloudfront&apos;.</Message>", await otherServiceAnswer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, skewed.StatusCode);
        var check = await protocol.ReadCheckAnswerAsync(0, skewed, CancellationToken.None);
        Assert.Equal(ConnectionCheckOutcome.Refused, check.Outcome);
        Assert.StartsWith("the access key was refused: HTTP 403 Forbidden: SignatureDoesNotMatch: Signature expired: ", check.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Temporary_credentials_carry_their_session_token_and_are_refused_without_it()
    {
        await using var server = await CloudFrontContractServer.StartAsync(TimeSpan.FromMilliseconds(50), sessionToken: "FwoGZXIvYXdzEXAMPLE");
        var withToken = Endpoint(server);
        withToken.SessionToken = "FwoGZXIvYXdzEXAMPLE";

        await using (var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(withToken)))
        {
            Assert.Equal(ConnectionCheckOutcome.Succeeded, (await dispatcher.CheckConnectionAsync("cloudfront"))!.Outcome);
        }

        await using (var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Endpoint(server))))
        {
            Assert.Equal(ConnectionCheckOutcome.Refused, (await dispatcher.CheckConnectionAsync("cloudfront"))!.Outcome);
        }
    }

    [Fact]
    public async Task Above_the_monthly_budget_paths_are_collapsed_into_wildcards_and_the_month_stays_within_it()
    {
        await using var server = await CloudFrontContractServer.StartAsync(TimeSpan.FromMilliseconds(50));
        var endpoint = Endpoint(server, itemsPerCall: 3_000);
        endpoint.MonthlyPathBudget = 10;
        string[] early = ["/a/1", "/a/2", "/a/3", "/a/4", "/a/5"];
        string[] late = [.. Enumerable.Range(0, 20).Select(i => $"/blog/post-{i}"), .. Enumerable.Range(0, 20).Select(i => $"/news/{i}")];

        await using (var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(endpoint)))
        {
            dispatcher.Commit(early);
            await dispatcher.DrainAsync();
            dispatcher.Commit(late);
            await dispatcher.DrainAsync();

            var count = Assert.Single(dispatcher.GetInvalidationPathCounts());
            Assert.InRange(count.Paths, early.Length + 2, 10);
            Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), count.Month);
            Assert.Equal(10, count.Budget);
        }

        var invalidated = server.Purged("invalidation");
        Assert.Equal(early, invalidated.Take(5));
        Assert.Contains("/blog/*", invalidated);
        Assert.Contains("/news/*", invalidated);
        Assert.DoesNotContain("/*", invalidated);
        Assert.All(late, path => Assert.Contains(invalidated, sent => sent == path || (sent.EndsWith('*') && path.StartsWith(sent[..^1], StringComparison.Ordinal))));
    }

    [Fact]
    public async Task The_months_path_count_survives_a_restart()
    {
        await using var server = await CloudFrontContractServer.StartAsync(TimeSpan.FromMilliseconds(50));
        var directory = Directory.CreateTempSubdirectory("cachepurge-cloudfront-");
        try
        {
            var options = DispatcherFactory.Options(Endpoint(server));
            options.JournalPath = Path.Combine(directory.FullName, "journal.db");
            await using (var dispatcher = DispatcherFactory.Start(options))
            {
                dispatcher.Commit("/a", "/b", "/c");
                await dispatcher.DrainAsync();
            }

            await using (var restarted = DispatcherFactory.Start(options))
            {
                Assert.Equal(3, Assert.Single(restarted.GetInvalidationPathCounts()).Paths);
            }

            Assert.True(File.Exists(options.JournalPath + $".cloudfront-{server.DistributionId}.json"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_new_month_starts_from_zero()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 23, 59, 0, TimeSpan.Zero));
        var counter = new MonthlyPathCounter("cf", null, time, NullLogger.Instance);
        counter.Add(1_200);

        time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(("2026-12", 0), counter.Current);
    }

    [Theory]
    [InlineData("", false, "/*")]
    [InlineData("/blog", false, "/blog/*")]
    public async Task Purging_everything_invalidates_the_sites_wildcard_as_one_path(string pathBase, bool never, string expected)
    {
        await using var server = await CloudFrontContractServer.StartAsync(TimeSpan.FromMilliseconds(50));
        var endpoint = Endpoint(server);
        endpoint.NeverPurgeEverything = never;
        var options = DispatcherFactory.Options(endpoint);
        options.PathBase = pathBase;

        await using (var dispatcher = DispatcherFactory.Start(options))
        {
            Assert.Equal(PurgeEverythingMethod.Everything, dispatcher.PurgeEverything(siteTag: null)["cloudfront"]);
            await dispatcher.DrainAsync();
        }

        Assert.Equal([expected], Assert.Single(server.Invalidations));
    }

    [Fact]
    public void A_cloudfront_cache_that_must_never_purge_everything_is_not_purged_everything_at_all()
    {
        var endpoint = new CacheEndpoint { Name = "cf", Kind = CacheKind.CloudFront, NeverPurgeEverything = true };

        Assert.Equal(PurgeEverythingMethod.NotPossible, endpoint.HowToPurgeEverything(pagesCarrySiteTag: true));
    }

    [Fact]
    public async Task The_connection_check_reads_the_distribution_and_a_wrong_key_is_refused()
    {
        await using var server = await CloudFrontContractServer.StartAsync(TimeSpan.FromMilliseconds(50));
        var wrongKey = Endpoint(server);
        wrongKey.AccessKeyId = "AKIAIOSFODNN7EXAMPLE";

        await using var good = DispatcherFactory.Start(DispatcherFactory.Options(Endpoint(server)));
        await using var wrong = DispatcherFactory.Start(DispatcherFactory.Options(wrongKey));
        var accepted = await good.CheckConnectionAsync("cloudfront");
        var refused = await wrong.CheckConnectionAsync("cloudfront");

        Assert.Equal(ConnectionCheckOutcome.Succeeded, accepted!.Outcome);
        Assert.Equal($"key accepted; distribution {server.DistributionId} serves d111111abcdef8.cloudfront.net (Deployed, 0 invalidations in progress)", accepted.Description);
        Assert.Equal(ConnectionCheckOutcome.Refused, refused!.Outcome);
        Assert.Equal("the access key was refused: HTTP 403 Forbidden: InvalidClientTokenId: The security token included in the request is invalid.", refused.Description);
        Assert.Empty(server.Invalidations);
    }

    [Fact]
    public void Settings_missing_the_distribution_the_key_or_the_secret_are_refused_naming_the_field()
    {
        var options = DispatcherFactory.Options(new CacheEndpoint { Name = "cf", Kind = CacheKind.CloudFront, BaseUrl = "https://cloudfront.amazonaws.com", ItemsPerCall = 3_001, MonthlyPathBudget = -1, SessionToken = "a b" });

        var fields = CachePurgeOptionsValidator.Validate(options).Select(e => e.Field).ToArray();

        Assert.Equal(
            ["Endpoints[0].DistributionId", "Endpoints[0].AccessKeyId", "Endpoints[0].ApiToken", "Endpoints[0].SessionToken", "Endpoints[0].ItemsPerCall", "Endpoints[0].MonthlyPathBudget"],
            fields);
    }

    private static CacheEndpoint Endpoint(CloudFrontContractServer server, int itemsPerCall = 100) => new()
    {
        Name = "cloudfront",
        Kind = CacheKind.CloudFront,
        BaseUrl = server.BaseUrl.ToString(),
        DistributionId = server.DistributionId,
        AccessKeyId = server.AccessKeyId,
        ApiToken = server.SecretAccessKey,
        ItemsPerCall = itemsPerCall,
        MonthlyPathBudget = 100_000,
        Timeout = TimeSpan.FromSeconds(5),
        MaxConcurrency = 4,
    };
}
