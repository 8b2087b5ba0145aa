using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using CachePurge.Core.Protocols.Akamai;
using CachePurge.Core.Protocols.Bunny;
using CachePurge.Core.Protocols.CloudFront;
using CachePurge.Core.Protocols.Cloudflare;
using CachePurge.Core.Protocols.Fastly;

namespace CachePurge.Core.Protocols;

/// <summary>
/// How to say "purge this" to one kind of cache backend, and how to read its answer. Each protocol declares its
/// <see cref="Capabilities"/>; the queue decides batching, pacing and escalation from them.
/// </summary>
internal abstract class CacheProtocol(CacheEndpoint endpoint)
{
    protected CacheEndpoint Endpoint { get; } = endpoint;

    public static CacheProtocol For(CacheEndpoint endpoint) => For(endpoint, SiteAddresses.None);

    /// <param name="pathCounter">CloudFront: where this site's invalidation paths of the month are counted; null counts them in memory.</param>
    /// <param name="signInClient">
    /// The HTTP client through which a backend that signs in for its access tokens (Azure Front Door, with Entra ID)
    /// fetches them: the engine's own, so that tests can point it at a contract server; null for Azure.Identity's own.
    /// </param>
    public static CacheProtocol For(CacheEndpoint endpoint, SiteAddresses site, MonthlyPathCounter? pathCounter = null, HttpClient? signInClient = null) => endpoint.Kind switch
    {
        CacheKind.Varnish => new VarnishProtocol(endpoint),
        CacheKind.Squid => new SquidProtocol(endpoint),
        CacheKind.Nginx => new NginxProtocol(endpoint),
        CacheKind.Cloudflare => new CloudflareProtocol(endpoint, site),
        CacheKind.Fastly => new FastlyProtocol(endpoint),
        CacheKind.Akamai => new AkamaiProtocol(endpoint, site),
        CacheKind.Bunny => new BunnyProtocol(endpoint),
        CacheKind.CloudFront => new CloudFrontProtocol(endpoint, site, pathCounter),
        CacheKind.AzureFrontDoor => new AzureFrontDoor.AzureFrontDoorProtocol(endpoint, site, signInClient),
        _ => new GenericProtocol(endpoint),
    };

    public abstract BackendCapabilities Capabilities { get; }

    public bool SupportsTags => Capabilities.Supports(PurgeTargetKind.Tag);

    public bool SupportsEverything => Capabilities.Supports(PurgeTargetKind.Everything);

    public bool Supports(PurgeTargetKind kind) => Capabilities.Supports(kind);

    /// <summary>
    /// What this backend purges for <paramref name="target"/>: the target itself; another that covers it, where the
    /// backend takes its kind but not this one (Akamai: a tag longer than 128 characters, covered by a purge of
    /// everything); or null when it cannot purge it.
    /// </summary>
    public virtual PurgeTarget? Cover(PurgeTarget target) => Supports(target.Kind) ? target : null;

    /// <summary>The request that makes <paramref name="call"/>; each attempt builds its own.</summary>
    public abstract HttpRequestMessage CreateRequest(PurgeCall call);

    /// <summary>
    /// The request that makes <paramref name="call"/>, for a backend that needs to wait before it can send (an access
    /// token to fetch or renew); by default <see cref="CreateRequest"/>. The sender always calls this one.
    /// </summary>
    public virtual ValueTask<HttpRequestMessage> CreateRequestAsync(PurgeCall call, CancellationToken cancellationToken) => ValueTask.FromResult(CreateRequest(call));

    /// <summary>
    /// For a backend that completes later: the request that asks where <paramref name="ticket"/> stands, or null when
    /// there is nothing to ask and the purge is done at <see cref="PurgeTicket.Estimated"/> (Akamai).
    /// </summary>
    public virtual ValueTask<HttpRequestMessage?> CreateCompletionRequestAsync(PurgeTicket ticket, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"A {Endpoint.Kind} cache completes its purges when it answers them.");

    /// <summary>What the answer to <see cref="CreateCompletionRequestAsync"/> says of <paramref name="ticket"/>.</summary>
    public virtual ValueTask<CompletionAnswer> ReadCompletionAsync(PurgeTicket ticket, HttpResponseMessage response, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"A {Endpoint.Kind} cache completes its purges when it answers them.");

    /// <summary>What <paramref name="response"/> means. By default its status alone, without reading the body.</summary>
    public virtual ValueTask<PurgeAnswer> ReadAnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var outcome = Classify(response.StatusCode);
        return ValueTask.FromResult(new PurgeAnswer(outcome, outcome is PurgeOutcome.Purged or PurgeOutcome.NotCached ? null : StatusLine(response)));
    }

    /// <summary>
    /// How many read-only requests check this backend's credentials without purging anything, sent in order until one
    /// does not succeed; 0 for a cache that is tested with a purge of a harmless path instead.
    /// </summary>
    public virtual int ConnectionCheckSteps => 0;

    /// <summary>The request of check step <paramref name="step"/>; each attempt builds its own.</summary>
    public virtual HttpRequestMessage CreateCheckRequest(int step) => throw new NotSupportedException($"A {Endpoint.Kind} cache has no connection check.");

    /// <summary>
    /// The request of check step <paramref name="step"/>, for a backend that needs to wait before it can send (an
    /// access token to fetch); by default <see cref="CreateCheckRequest"/>. The connection check always calls this one.
    /// </summary>
    public virtual ValueTask<HttpRequestMessage> CreateCheckRequestAsync(int step, CancellationToken cancellationToken) => ValueTask.FromResult(CreateCheckRequest(step));

    /// <summary>What the answer to check step <paramref name="step"/> found.</summary>
    public virtual ValueTask<CheckStep> ReadCheckAnswerAsync(int step, HttpResponseMessage response, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"A {Endpoint.Kind} cache has no connection check.");

    public virtual PurgeOutcome Classify(HttpStatusCode status) => (int)status switch
    {
        >= 200 and < 300 => PurgeOutcome.Purged,
        404 => PurgeOutcome.NotCached,
        401 or 403 or 405 => PurgeOutcome.Refused,
        _ => PurgeOutcome.Failed,
    };

    protected static string StatusLine(HttpResponseMessage response) => $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";

    /// <summary>
    /// The backend's JSON answer, or null when the body is not that JSON (a proxy's HTML error page, no body at all):
    /// the status is then all there is.
    /// </summary>
    protected static async ValueTask<T?> ReadJsonOrNullAsync<T>(HttpResponseMessage response, JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(type, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return null;
        }
    }
}
