using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace CachePurge.Core.Protocols.Cloudflare;

/// <summary>
/// Cloudflare's purge API, <c>POST /client/v4/zones/{zone}/purge_cache</c> with a Bearer API token: pages as absolute
/// URLs in <c>files</c> (each site host and scheme), tags in <c>tags</c>, and every page of the site as its
/// <c>hosts</c> (or, under a path base, its <c>prefixes</c>) rather than <c>purge_everything</c>, which would empty
/// the whole zone, other sites included. The answer counts only when its status is 2xx and its JSON says
/// <c>success</c>; its <c>errors</c> become the error shown. https://developers.cloudflare.com/api/resources/cache/methods/purge/
/// Its connection check reads, without purging, <c>GET /client/v4/user/tokens/verify</c> (the token is active) and then
/// <c>GET /client/v4/zones/{zone}</c> (it reaches the zone, whose name is shown). Cloudflare's "Cache Purge" permission
/// allows every purge type, and the verify answer does not list permissions: a token that passes may purge the whole
/// zone, which the check says as a warning when <see cref="CacheEndpoint.NeverPurgeEverything"/> is on.
/// </summary>
internal sealed class CloudflareProtocol : CacheProtocol
{
    private const string NeverPurgesWholeZone = "this token may also purge the whole zone; CachePurge never will, as set";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly SiteAddresses _site;
    private readonly Uri _purgeUri;
    private readonly Uri _verifyUri;
    private readonly Uri _zoneUri;

    public CloudflareProtocol(CacheEndpoint endpoint, SiteAddresses site)
        : base(endpoint)
    {
        _site = site;
        var api = endpoint.BaseUrl.TrimEnd('/') + "/client/v4";
        _zoneUri = new Uri($"{api}/zones/{Uri.EscapeDataString(endpoint.ZoneId)}");
        _purgeUri = new Uri($"{_zoneUri}/purge_cache");
        _verifyUri = new Uri($"{api}/user/tokens/verify");
        var everything = endpoint.NeverPurgeEverything ? PurgeCapabilities.None : PurgeCapabilities.Host | PurgeCapabilities.Prefix | PurgeCapabilities.Everything;
        RateLimit[] limits = [.. CloudflareRateLimits.For(endpoint.CloudflarePlan), .. RateLimit.RequestsPerSecond(endpoint.RequestsPerSecond) is { } own ? [own] : Array.Empty<RateLimit>()];
        Capabilities = new BackendCapabilities
        {
            Purges = PurgeCapabilities.AbsoluteUrl | PurgeCapabilities.Tag | everything,
            Addressing = PageAddressing.AbsoluteUrl,
            UrlsPerCall = endpoint.ItemsPerCall,
            TagsPerCall = endpoint.ItemsPerCall,
            KeysByScheme = true,
            RateLimits = limits,
            RateScope = RateScope.Of("cloudflare", endpoint.ApiToken),
        };
    }

    public override BackendCapabilities Capabilities { get; }

    public override HttpRequestMessage CreateRequest(PurgeCall call)
    {
        var body = call.Kind switch
        {
            PurgeTargetKind.Path => new CloudflarePurgeRequest { Files = AbsoluteUrls.Of(call.Values, Endpoint.Schemes, call.Hosts) },
            PurgeTargetKind.Tag => new CloudflarePurgeRequest { Tags = call.Values },
            _ when _site.PathBase.Length > 0 => new CloudflarePurgeRequest { Prefixes = [.. call.Hosts.Select(h => h.HeaderValue + _site.PathBase)] },
            _ => new CloudflarePurgeRequest { Hosts = [.. call.Hosts.Select(h => h.Host).Distinct()] },
        };

        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body, CloudflareJson.Default.CloudflarePurgeRequest));
        content.Headers.ContentType = Json;
        var request = new HttpRequestMessage(HttpMethod.Post, _purgeUri) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Endpoint.ApiToken);
        return request;
    }

    public override int ConnectionCheckSteps => 2;

    public override HttpRequestMessage CreateCheckRequest(int step)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, step == 0 ? _verifyUri : _zoneUri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Endpoint.ApiToken);
        return request;
    }

    public override async ValueTask<CheckStep> ReadCheckAnswerAsync(int step, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var answer = await ReadJsonOrNullAsync(response, CloudflareJson.Default.CloudflareCheckAnswer, cancellationToken).ConfigureAwait(false);

        var refused = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden;
        if (step == 0)
        {
            return response.IsSuccessStatusCode && answer is { Success: true, Result.Status: { } status }
                ? status == "active" ? CheckStep.Found("token active") : new CheckStep(ConnectionCheckOutcome.Refused, $"the API token is {status}")
                : new CheckStep(refused ? ConnectionCheckOutcome.Refused : ConnectionCheckOutcome.Failed, (refused ? "the API token was refused: " : "the API token could not be verified: ") + Describe(response, answer?.Errors, answer is null));
        }

        if (response.IsSuccessStatusCode && answer is { Success: true, Result.Name: { } zone })
        {
            // The zone's one "Cache Purge" permission covers every purge type, everything included, and the verify
            // answer lists no permissions: a token that purges this site's pages may empty the whole zone too.
            return Endpoint.NeverPurgeEverything
                ? CheckStep.Found("zone " + zone, NeverPurgesWholeZone)
                : CheckStep.Found($"zone {zone}; purge everything goes by {(_site.PathBase.Length > 0 ? "prefix" : "host")}, not the whole zone");
        }

        var problem = refused ? $"the API token cannot read the zone {Endpoint.ZoneId}: " : $"the zone {Endpoint.ZoneId} could not be read: ";
        return new CheckStep(refused ? ConnectionCheckOutcome.Refused : ConnectionCheckOutcome.Failed, problem + Describe(response, answer?.Errors, answer is null));
    }

    public override async ValueTask<PurgeAnswer> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var answer = await ReadJsonOrNullAsync(response, CloudflareJson.Default.CloudflareAnswer, cancellationToken).ConfigureAwait(false);

        var status = response.StatusCode;
        if (response.IsSuccessStatusCode && answer is { Success: true })
        {
            return new PurgeAnswer(PurgeOutcome.Purged, null);
        }

        var outcome = status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden ? PurgeOutcome.Refused : PurgeOutcome.Failed;
        return new PurgeAnswer(outcome, Describe(response, answer?.Errors, answer is null));
    }

    /// <summary>The status line and Cloudflare's <c>errors</c>: "HTTP 403 Forbidden: 9109 Invalid access token".</summary>
    private static string Describe(HttpResponseMessage response, IReadOnlyList<CloudflareMessage>? errors, bool unread) => StatusLine(response) + (unread
        ? " (no Cloudflare answer)"
        : errors is null or { Count: 0 } ? " (success: false)" : ": " + string.Join("; ", errors.Select(e => $"{e.Code} {e.Message}")));
}
