using System.Net;

namespace CachePurge.Core.Protocols.Fastly;

/// <summary>
/// Fastly's purge API (https://www.fastly.com/documentation/reference/api/purging/) with a <c>Fastly-Key</c> API token:
/// a page with <c>POST /purge/{host}{path}</c> once per site host (Fastly keys its cache by host and path, not
/// scheme), tags with <c>POST /service/{id}/purge</c> and up to 256 keys in <c>Surrogate-Key</c>, everything with
/// <c>POST /service/{id}/purge_all</c>. With <see cref="CacheEndpoint.SoftPurge"/>, page and tag purges carry
/// <c>Fastly-Soft-Purge: 1</c> and mark pages stale; purge_all cannot be soft. Only purge_all counts against the
/// account's 1,000 API writes an hour. Its connection check reads the token's scope, <c>GET /tokens/self</c>
/// (https://www.fastly.com/documentation/reference/api/auth-tokens/user/), and warns where it does not match
/// <see cref="CacheEndpoint.NeverPurgeEverything"/>; then the service, <c>GET /service/{id}</c>
/// (https://www.fastly.com/documentation/reference/api/services/service/), and shows its name.
/// </summary>
internal sealed class FastlyProtocol : CacheProtocol
{
    /// <summary>The most surrogate keys one bulk purge takes.</summary>
    public const int MaxKeysPerCall = 256;

    private readonly string _base;

    public FastlyProtocol(CacheEndpoint endpoint)
        : base(endpoint)
    {
        _base = endpoint.BaseUrl.TrimEnd('/');
        var everything = endpoint.NeverPurgeEverything ? PurgeCapabilities.None : PurgeCapabilities.Everything;
        RateLimit[] limits = [FastlyWrites, .. RateLimit.RequestsPerSecond(endpoint.RequestsPerSecond) is { } own ? [own] : Array.Empty<RateLimit>()];
        Capabilities = new BackendCapabilities
        {
            Purges = PurgeCapabilities.AbsoluteUrl | PurgeCapabilities.Tag | PurgeCapabilities.SoftPurge | everything,
            Addressing = PageAddressing.AbsoluteUrl,
            UrlsPerCall = 1,
            TagsPerCall = Math.Min(endpoint.ItemsPerCall, MaxKeysPerCall),
            TagsInHeader = true,
            RateLimits = limits,
            RateScope = RateScope.Of("fastly", endpoint.ApiToken),
        };
    }

    public override BackendCapabilities Capabilities { get; }

    // purge_all is an API write: 1,000 an hour per account, a token every 3.6 s.
    private static RateLimit FastlyWrites { get; } = new("fastly-writes", [PurgeTargetKind.Everything], Burst: 1_000, Refill: 1, TimeSpan.FromSeconds(3.6));

    public override HttpRequestMessage CreateRequest(PurgeCall call)
    {
        var service = Uri.EscapeDataString(Endpoint.ServiceId);
        var request = call.Kind switch
        {
            // The cached URL without its scheme; a query's '?' is escaped so that it stays part of that URL.
            PurgeTargetKind.Path => new HttpRequestMessage(HttpMethod.Post, $"{_base}/purge/{call.Host.HeaderValue}{call.Values[0].Replace("?", "%3F", StringComparison.Ordinal)}"),
            PurgeTargetKind.Tag => new HttpRequestMessage(HttpMethod.Post, $"{_base}/service/{service}/purge"),
            _ => new HttpRequestMessage(HttpMethod.Post, $"{_base}/service/{service}/purge_all"),
        };

        request.Headers.TryAddWithoutValidation("Fastly-Key", Endpoint.ApiToken);
        request.Headers.Accept.ParseAdd("application/json");
        if (call.Kind == PurgeTargetKind.Tag)
        {
            request.Headers.TryAddWithoutValidation("Surrogate-Key", string.Join(' ', call.Values));
        }

        if (Endpoint.SoftPurge && call.Kind != PurgeTargetKind.Everything)
        {
            request.Headers.TryAddWithoutValidation("Fastly-Soft-Purge", "1");
        }

        return request;
    }

    public override int ConnectionCheckSteps => 2;

    public override HttpRequestMessage CreateCheckRequest(int step)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, step == 0 ? $"{_base}/tokens/self" : $"{_base}/service/{Uri.EscapeDataString(Endpoint.ServiceId)}");
        request.Headers.TryAddWithoutValidation("Fastly-Key", Endpoint.ApiToken);
        request.Headers.Accept.ParseAdd("application/json");
        return request;
    }

    public override async ValueTask<CheckStep> ReadCheckAnswerAsync(int step, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (step == 0)
        {
            return await ReadTokenAsync(response, cancellationToken).ConfigureAwait(false);
        }

        if (response.IsSuccessStatusCode)
        {
            var service = await ReadJsonOrNullAsync(response, FastlyJson.Default.FastlyService, cancellationToken).ConfigureAwait(false);

            return service?.Name is { Length: > 0 } name
                ? CheckStep.Found("service " + name)
                : new CheckStep(ConnectionCheckOutcome.Failed, $"the service {Endpoint.ServiceId} could not be read: {StatusLine(response)} (no service in the answer)");
        }

        var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
        var problem = refused ? "the API token was refused: " : $"the service {Endpoint.ServiceId} could not be read: ";
        return new CheckStep(refused ? ConnectionCheckOutcome.Refused : ConnectionCheckOutcome.Failed, problem + await DescribeErrorAsync(response, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The token's scope, from <c>GET /tokens/self</c>. <c>global</c> covers every capability and <c>purge_all</c>
    /// allows purge_all; <c>purge_select</c> alone purges by URL and key only, and Fastly refuses its purge_all.
    /// </summary>
    private async ValueTask<CheckStep> ReadTokenAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
            return new CheckStep(
                refused ? ConnectionCheckOutcome.Refused : ConnectionCheckOutcome.Failed,
                (refused ? "the API token was refused: " : "the API token could not be read: ") + await DescribeErrorAsync(response, cancellationToken).ConfigureAwait(false));
        }

        var token = await ReadJsonOrNullAsync(response, FastlyJson.Default.FastlyToken, cancellationToken).ConfigureAwait(false);

        if (token?.Scope is not { Length: > 0 } scope)
        {
            return new CheckStep(ConnectionCheckOutcome.Failed, $"the API token could not be read: {StatusLine(response)} (no scope in the answer)");
        }

        var scopes = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var purgesAll = scopes.Contains("purge_all", StringComparer.Ordinal) || scopes.Contains("global", StringComparer.Ordinal);
        var warning = (Endpoint.NeverPurgeEverything, purgesAll) switch
        {
            (true, true) => $"this token may also purge the whole service (scope {scope}); CachePurge never will, as set",
            (false, false) => $"this token's scope ({scope}) lacks purge_all: Fastly would refuse a purge of everything; turn on never purge everything, or give the token purge_all",
            _ => null,
        };
        return CheckStep.Found($"key accepted, scope {scope}", warning);
    }

    public override async ValueTask<PurgeAnswer> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return new PurgeAnswer(PurgeOutcome.Purged, null);
        }

        var outcome = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? PurgeOutcome.Refused : PurgeOutcome.Failed;
        return new PurgeAnswer(outcome, await DescribeErrorAsync(response, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The status line and Fastly's error: "HTTP 401 Unauthorized: Provided credentials are missing or invalid".</summary>
    private static async ValueTask<string> DescribeErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var error = await ReadJsonOrNullAsync(response, FastlyJson.Default.FastlyError, cancellationToken).ConfigureAwait(false);

        var detail = error?.Msg is { Length: > 0 } message
            ? ": " + message + (string.IsNullOrEmpty(error.Detail) ? "" : " (" + error.Detail + ")")
            : "";
        return StatusLine(response) + detail;
    }
}
