using System.Net;

namespace CachePurge.Core.Protocols;

/// <summary>
/// A cache the engine asks directly (Varnish, Squid, nginx, a custom proxy): one request per site host, the path in the
/// request line and the host in <c>Host</c>, because the cache keys pages by both.
/// </summary>
internal abstract class HostHeaderProtocol : CacheProtocol
{
    protected HostHeaderProtocol(CacheEndpoint endpoint, PurgeCapabilities purges)
        : base(endpoint)
    {
        BaseAddress = endpoint.BaseUrl.TrimEnd('/');
        Capabilities = new BackendCapabilities
        {
            Purges = PurgeCapabilities.PathWithHost | purges,
            Addressing = PageAddressing.PathWithHostHeader,
            TagsInHeader = true,
            RateLimits = RateLimit.RequestsPerSecond(endpoint.RequestsPerSecond) is { } limit ? [limit] : [],
        };
    }

    public override BackendCapabilities Capabilities { get; }

    /// <summary>The endpoint's base URL without a trailing slash; request paths are appended to it.</summary>
    protected string BaseAddress { get; }

    public override HttpRequestMessage CreateRequest(PurgeCall call) => call.Kind switch
    {
        PurgeTargetKind.Everything => CreateEverythingRequest(call.Host),
        PurgeTargetKind.Tag => CreateTagRequest(string.Join(' ', call.Values), call.Host),
        _ => CreatePathRequest(call.Values[0], call.Host),
    };

    /// <summary>The request that purges <paramref name="path"/> as served on <paramref name="host"/>.</summary>
    public abstract HttpRequestMessage CreatePathRequest(string path, SiteHost host);

    /// <summary>The request that purges every page carrying one of <paramref name="tagHeaderValue"/>'s tags.</summary>
    public virtual HttpRequestMessage CreateTagRequest(string tagHeaderValue, SiteHost host)
    {
        var request = Create(new HttpMethod(Endpoint.Method), "/", host);
        request.Headers.TryAddWithoutValidation(Endpoint.TagHeader, tagHeaderValue);
        return request;
    }

    /// <summary>The request that purges every page of <paramref name="host"/>.</summary>
    public virtual HttpRequestMessage CreateEverythingRequest(SiteHost host) =>
        throw new NotSupportedException($"A {Endpoint.Kind} cache cannot purge everything at once.");

    /// <summary>A plain GET of <paramref name="path"/> through the cache, as a visitor would send it (no purge headers).</summary>
    public HttpRequestMessage CreatePageRequest(string path, SiteHost host) => New(HttpMethod.Get, path, host);

    protected HttpRequestMessage Create(HttpMethod method, string pathAndQuery, SiteHost host)
    {
        var request = New(method, pathAndQuery, host);
        foreach (var (name, value) in Endpoint.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    private HttpRequestMessage New(HttpMethod method, string pathAndQuery, SiteHost host)
    {
        var request = new HttpRequestMessage(method, BaseAddress + pathAndQuery);
        request.Headers.Host = host.HeaderValue;
        if (Endpoint.Http2)
        {
            // Exact: over plain http that is prior knowledge; a cache that does not speak HTTP/2 fails the purge rather
            // than being sent HTTP/1.1 behind the site owner's back.
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        return request;
    }
}
