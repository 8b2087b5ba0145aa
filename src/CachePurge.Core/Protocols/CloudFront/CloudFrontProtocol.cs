using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;

namespace CachePurge.Core.Protocols.CloudFront;

/// <summary>
/// Amazon CloudFront's invalidations, signed with SigV4 (<see cref="CloudFrontSigner"/>): <c>POST
/// /2020-05-31/distribution/{id}/invalidation</c> with an <c>InvalidationBatch</c> of site paths, which CloudFront
/// removes for every host of the distribution at once (so a path is sent once, not per host or scheme), and every
/// page of the site as <c>/*</c>. CloudFront has no tags. It answers <c>201 Created</c> with the
/// <c>Invalidation</c>, <c>InProgress</c>, whose completion <c>GET …/invalidation/{id}</c> reports later
/// (<see cref="PurgeCompletion.ReportedLater"/>). At most 3,000 paths and 15 wildcards are in progress per
/// distribution; beyond them it answers <c>400 TooManyInvalidationsInProgress</c>, which is waited out and sent again.
/// Above the site's <see cref="CacheEndpoint.MonthlyPathBudget"/> paths are collapsed into wildcards
/// (<see cref="CloudFrontPaths"/>). Its connection check reads the distribution, <c>GET /2020-05-31/distribution/{id}</c>.
/// https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_CreateInvalidation.html
/// </summary>
internal sealed class CloudFrontProtocol : CacheProtocol
{
    /// <summary>The most paths one invalidation carries, and the most a distribution has in progress.</summary>
    public const int MaxPathsPerCall = 3_000;

    private static readonly MediaTypeHeaderValue Xml = new("text/xml");
    private static readonly HttpRequestOptionsKey<InvalidationBatch> BatchOption = new("CachePurge.CloudFront.InvalidationBatch");

    private readonly string _distribution;
    private readonly string _pathBase;
    private readonly MonthlyPathCounter _counter;
    private readonly CloudFrontSigner _signer;

    // The batch of each call, found again by its list of paths: the sender's retries of one call send one batch, until
    // CloudFront answers it for good (201 or a refusal); the same list sent after that is a new invalidation.
    private readonly ConditionalWeakTable<IReadOnlyList<string>, InvalidationBatch> _batches = [];

    public CloudFrontProtocol(CacheEndpoint endpoint, SiteAddresses site, MonthlyPathCounter? counter)
        : base(endpoint)
    {
        _distribution = $"{endpoint.BaseUrl.TrimEnd('/')}/2020-05-31/distribution/{Uri.EscapeDataString(endpoint.DistributionId)}";
        _pathBase = site.PathBase;
        _counter = counter ?? MonthlyPathCounter.InMemory(endpoint.Name);
        _signer = new CloudFrontSigner(endpoint, _counter.Time);
        RateLimit[] limits = RateLimit.RequestsPerSecond(endpoint.RequestsPerSecond) is { } own ? [own] : [];
        Capabilities = new BackendCapabilities
        {
            Purges = PurgeCapabilities.SitePath | (endpoint.NeverPurgeEverything ? PurgeCapabilities.None : PurgeCapabilities.Everything),
            Addressing = PageAddressing.SitePath,
            UrlsPerCall = Math.Clamp(endpoint.ItemsPerCall, 1, MaxPathsPerCall),
            RateLimits = limits,
            Completion = PurgeCompletion.ReportedLater,
            MaxItemsInProgress = MaxPathsPerCall,
        };
    }

    public override BackendCapabilities Capabilities { get; }

    /// <summary>This cache's invalidation paths of the month, for the operations page.</summary>
    public InvalidationPathCount PathCount()
    {
        var (month, paths) = _counter.Current;
        return new InvalidationPathCount(Endpoint.Name, month, paths, Endpoint.MonthlyPathBudget);
    }

    public override HttpRequestMessage CreateRequest(PurgeCall call)
    {
        var batch = call.Kind == PurgeTargetKind.Everything
            ? _batches.GetValue(call.Values, values => new InvalidationBatch(values, NewCallerReference(), [CloudFrontPaths.Everything(_pathBase)]))
            : _batches.GetValue(call.Values, Plan);
        if (!batch.Counted)
        {
            _counter.Add(batch.Paths.Count);
            batch.Counted = true;
        }

        var body = CloudFrontXml.Write(batch);
        var request = new HttpRequestMessage(HttpMethod.Post, _distribution + "/invalidation") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Xml;
        request.Options.Set(BatchOption, batch);
        _signer.Sign(request, body);
        return request;
    }

    public override async ValueTask<PurgeAnswer> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var root = await CloudFrontXml.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        var sentBatch = response.RequestMessage?.Options.TryGetValue(BatchOption, out var sent) == true ? sent : null;
        if (sentBatch is not null && !RetriedAtOnce(response.StatusCode))
        {
            _batches.Remove(sentBatch.Call);
        }

        if (response.StatusCode == HttpStatusCode.Created && CloudFrontXml.Invalidation(root) is { } invalidation)
        {
            var items = invalidation.Quantity ?? sentBatch?.Paths.Count ?? 0;
            return new PurgeAnswer(PurgeOutcome.Purged, null, new PurgeTicket(invalidation.Id, items, response.Headers.Location));
        }

        // CloudFront charges only what it took.
        if (sentBatch is { Counted: true })
        {
            _counter.Add(-sentBatch.Paths.Count);
            sentBatch.Counted = false;
        }

        // TooManyInvalidationsInProgress (400) and Throttling (400) are Failed, not Refused: redelivery waits them out
        // with a growing delay, and they are dead-lettered only after DeadLetterAfter, as any failure.
        var outcome = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? PurgeOutcome.Refused : PurgeOutcome.Failed;
        return new PurgeAnswer(outcome, Describe(response, root, response.IsSuccessStatusCode ? "no invalidation in the answer" : null));
    }

    public override ValueTask<HttpRequestMessage?> CreateCompletionRequestAsync(PurgeTicket ticket, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{_distribution}/invalidation/{Uri.EscapeDataString(ticket.Id)}");
        _signer.Sign(request, null);
        return ValueTask.FromResult<HttpRequestMessage?>(request);
    }

    public override async ValueTask<CompletionAnswer> ReadCompletionAsync(PurgeTicket ticket, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var root = await CloudFrontXml.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode && CloudFrontXml.Invalidation(root) is { } invalidation)
        {
            return invalidation.Status == "Completed" ? new CompletionAnswer(CompletionStatus.Completed) : new CompletionAnswer(CompletionStatus.InProgress);
        }

        // An invalidation CloudFront no longer knows must be sent again; any other answer says nothing of it: ask later.
        var error = Describe(response, root, response.IsSuccessStatusCode ? "no invalidation in the answer" : null);
        return response.StatusCode == HttpStatusCode.NotFound
            ? new CompletionAnswer(CompletionStatus.Failed, error)
            : new CompletionAnswer(CompletionStatus.InProgress, error);
    }

    public override int ConnectionCheckSteps => 1;

    public override HttpRequestMessage CreateCheckRequest(int step)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _distribution);
        _signer.Sign(request, null);
        return request;
    }

    public override async ValueTask<CheckStep> ReadCheckAnswerAsync(int step, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var root = await CloudFrontXml.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode && CloudFrontXml.Distribution(root) is { } distribution)
        {
            return CheckStep.Found($"key accepted; distribution {Endpoint.DistributionId} serves {distribution.DomainName} ({distribution.Status}, {distribution.InProgress} invalidations in progress)");
        }

        var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
        var problem = refused ? "the access key was refused: " : $"the distribution {Endpoint.DistributionId} could not be read: ";
        return new CheckStep(refused ? ConnectionCheckOutcome.Refused : ConnectionCheckOutcome.Failed, problem + Describe(response, root, response.IsSuccessStatusCode ? "no distribution in the answer" : null));
    }

    /// <summary>The status line and CloudFront's error: "HTTP 403 Forbidden: SignatureDoesNotMatch: The request signature …".</summary>
    private static string Describe(HttpResponseMessage response, System.Xml.Linq.XElement? root, string? missing) =>
        StatusLine(response) + (CloudFrontXml.Error(root) is { } error ? ": " + error : $" ({missing ?? "no CloudFront answer"})");

    // The answers the sender tries again at once (5xx, 408, 429, as EndpointResilience): the retry sends the same batch.
    private static bool RetriedAtOnce(HttpStatusCode status) => (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    // A reference CloudFront has never seen: a second batch with an old one and other paths would be refused.
    private static string NewCallerReference() => "cachepurge-" + Guid.NewGuid().ToString("N");

    /// <summary>The batch of a call's paths: as they are within the month's budget, else collapsed into wildcards to fit what is left.</summary>
    private InvalidationBatch Plan(IReadOnlyList<string> values)
    {
        List<string> paths = [.. values.Distinct(StringComparer.Ordinal)];
        var remaining = Endpoint.MonthlyPathBudget - _counter.Current.Paths;
        if (paths.Count <= remaining)
        {
            return new InvalidationBatch(values, NewCallerReference(), paths);
        }

        _counter.BudgetSpent(Endpoint.MonthlyPathBudget);
        var collapsed = CloudFrontPaths.Collapse(paths, Math.Max(1, remaining), _pathBase, Capabilities.Supports(PurgeTargetKind.Everything));
        if (CloudFrontPaths.Wildcards(collapsed) > CloudFrontPaths.MaxWildcardsInProgress)
        {
            // More wildcards than CloudFront ever takes in progress would be refused for ever: exact paths cost more but arrive.
            _counter.NotCollapsed(paths.Count, CloudFrontPaths.MaxWildcardsInProgress);
            return new InvalidationBatch(values, NewCallerReference(), paths);
        }

        _counter.Collapsed(paths.Count, collapsed.Count);
        return new InvalidationBatch(values, NewCallerReference(), collapsed);
    }
}
