using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CachePurge.Core.Protocols.Bunny;

/// <summary>
/// bunny.net's purge API with the account's API key in <c>AccessKey</c>: a page with <c>POST
/// /purge?url={url}&amp;async=true</c>, one absolute URL a call, for each site host and scheme
/// (https://docs.bunny.net/reference/purgepublic_indexpost); a tag with <c>POST /pullzone/{id}/purgeCache</c> and
/// <c>{"CacheTag":"…"}</c>, one a call; everything with the same call without a body, which empties the pull zone
/// (https://docs.bunny.net/reference/pullzonepublic_purgecachepostbytag). A URL whose path ends with <c>/</c> would be
/// taken as a prefix and purge every page under it, so it is sent with <c>exactPath=true</c>. The account's limits
/// are <see cref="BunnyRateLimits"/>. Its connection check reads the pull zone, <c>GET /pullzone/{id}</c>, and shows
/// its name.
/// </summary>
internal sealed class BunnyProtocol : CacheProtocol
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly string _base;
    private readonly Uri _pullZoneUri;
    private readonly Uri _purgeCacheUri;

    public BunnyProtocol(CacheEndpoint endpoint)
        : base(endpoint)
    {
        _base = endpoint.BaseUrl.TrimEnd('/');
        _pullZoneUri = new Uri($"{_base}/pullzone/{Uri.EscapeDataString(endpoint.PullZoneId)}");
        _purgeCacheUri = new Uri($"{_pullZoneUri}/purgeCache");
        var everything = endpoint.NeverPurgeEverything ? PurgeCapabilities.None : PurgeCapabilities.Everything;
        RateLimit[] limits = [.. BunnyRateLimits.For(endpoint.BunnyLimits), .. RateLimit.RequestsPerSecond(endpoint.RequestsPerSecond) is { } own ? [own] : Array.Empty<RateLimit>()];
        Capabilities = new BackendCapabilities
        {
            Purges = PurgeCapabilities.AbsoluteUrl | PurgeCapabilities.Tag | everything,
            Addressing = PageAddressing.AbsoluteUrl,
            UrlsPerCall = 1,
            KeysByScheme = true,
            TagsPerCall = 1,
            RateLimits = limits,

            // The limits are per account, and one API key belongs to one account. The key itself is not kept in the scope.
            RateScope = RateScope.Of("bunny", endpoint.ApiToken),
        };
    }

    public override BackendCapabilities Capabilities { get; }

    public override HttpRequestMessage CreateRequest(PurgeCall call)
    {
        HttpRequestMessage request;
        if (call.Kind == PurgeTargetKind.Path)
        {
            request = new HttpRequestMessage(HttpMethod.Post, PurgeUrl(call.Scheme ?? Endpoint.Schemes[0], call.Host, call.Values[0]));
        }
        else
        {
            request = new HttpRequestMessage(HttpMethod.Post, _purgeCacheUri);
            if (call.Kind == PurgeTargetKind.Tag)
            {
                var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new BunnyPurgeCacheRequest { CacheTag = call.Values[0] }, BunnyJson.Default.BunnyPurgeCacheRequest));
                content.Headers.ContentType = Json;
                request.Content = content;
            }
        }

        request.Headers.TryAddWithoutValidation("AccessKey", Endpoint.ApiToken);
        request.Headers.Accept.ParseAdd("application/json");
        return request;
    }

    public override int ConnectionCheckSteps => 1;

    public override HttpRequestMessage CreateCheckRequest(int step)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, _pullZoneUri);
        request.Headers.TryAddWithoutValidation("AccessKey", Endpoint.ApiToken);
        request.Headers.Accept.ParseAdd("application/json");
        return request;
    }

    public override async ValueTask<CheckStep> ReadCheckAnswerAsync(int step, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            var zone = await ReadJsonOrNullAsync(response, BunnyJson.Default.BunnyPullZone, cancellationToken).ConfigureAwait(false);

            // The account has one API key, which manages every zone (https://docs.bunny.net/api-reference/authentication):
            // a key that reads the pull zone may also purge all of it.
            return zone?.Name is { Length: > 0 } name
                ? CheckStep.Found("key accepted; pull zone " + name, Endpoint.NeverPurgeEverything ? "this key may also purge the whole pull zone; CachePurge never will, as set" : null)
                : new CheckStep(ConnectionCheckOutcome.Failed, $"the pull zone {Endpoint.PullZoneId} could not be read: {StatusLine(response)} (no pull zone in the answer)");
        }

        var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
        var problem = refused ? "the API key was refused: " : $"the pull zone {Endpoint.PullZoneId} could not be read: ";
        return new CheckStep(refused ? ConnectionCheckOutcome.Refused : ConnectionCheckOutcome.Failed, problem + await DescribeErrorAsync(response, cancellationToken).ConfigureAwait(false));
    }

    public override async ValueTask<PurgeAnswer> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return new PurgeAnswer(PurgeOutcome.Purged, null);
        }

        // A 404 is a pull zone that does not exist, not a page that was not cached: it fails rather than counts as done.
        var outcome = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? PurgeOutcome.Refused : PurgeOutcome.Failed;
        return new PurgeAnswer(outcome, await DescribeErrorAsync(response, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// <c>POST /purge?url=…&amp;async=true</c> for one page: answered at once rather than when the edge has dropped it,
    /// as bunny.net offers; a path ending with <c>/</c> with <c>exactPath=true</c>, or it would purge as a prefix.
    /// </summary>
    private Uri PurgeUrl(string scheme, SiteHost host, string path)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var exact = (query < 0 ? path : path[..query]).EndsWith('/') ? "&exactPath=true" : "";
        return new Uri($"{_base}/purge?url={Uri.EscapeDataString(AbsoluteUrls.Of(scheme, host, path))}&async=true{exact}");
    }

    /// <summary>The status line and bunny.net's message: "HTTP 401 Unauthorized: Authorization has been denied for this request."</summary>
    private static async ValueTask<string> DescribeErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var error = await ReadJsonOrNullAsync(response, BunnyJson.Default.BunnyError, cancellationToken).ConfigureAwait(false);

        return StatusLine(response) + (error?.Message is { Length: > 0 } message ? ": " + message : "");
    }
}
