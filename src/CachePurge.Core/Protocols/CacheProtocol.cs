using System.Net;

namespace CachePurge.Core.Protocols;

/// <summary>How to say "purge this" to one kind of cache, and how to read its answer.</summary>
internal abstract class CacheProtocol
{
    protected CacheProtocol(CacheEndpoint endpoint)
    {
        Endpoint = endpoint;
        BaseAddress = endpoint.BaseUrl.TrimEnd('/');
    }

    protected CacheEndpoint Endpoint { get; }

    /// <summary>The endpoint's base URL without a trailing slash; request paths are appended to it.</summary>
    protected string BaseAddress { get; }

    public static CacheProtocol For(CacheEndpoint endpoint) => endpoint.Kind switch
    {
        CacheKind.Varnish => new VarnishProtocol(endpoint),
        CacheKind.Squid => new SquidProtocol(endpoint),
        CacheKind.Nginx => new NginxProtocol(endpoint),
        _ => new GenericProtocol(endpoint),
    };

    public virtual bool SupportsTags => !string.IsNullOrEmpty(Endpoint.TagHeader);

    public virtual bool SupportsEverything => false;

    public bool Supports(PurgeTargetKind kind) => kind switch
    {
        PurgeTargetKind.Path => true,
        PurgeTargetKind.Tag => SupportsTags,
        _ => SupportsEverything,
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

    public virtual PurgeOutcome Classify(HttpStatusCode status) => (int)status switch
    {
        >= 200 and < 300 => PurgeOutcome.Purged,
        404 => PurgeOutcome.NotCached,
        401 or 403 or 405 => PurgeOutcome.Refused,
        _ => PurgeOutcome.Failed,
    };

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
