namespace CachePurge.Core;

/// <summary>The kind of cache an endpoint is; it decides the shape of the purge requests.</summary>
public enum CacheKind
{
    /// <summary>Varnish: <c>PURGE &lt;path&gt;</c>, <c>BAN</c> for everything, xkey tags.</summary>
    Varnish,

    /// <summary>Squid: <c>PURGE &lt;path&gt;</c>; no purge-all, no tags.</summary>
    Squid,

    /// <summary>nginx with ngx_cache_purge: <c>GET &lt;prefix&gt;&lt;path&gt;</c>; no purge-all, no tags.</summary>
    Nginx,

    /// <summary>Anything else (a CDN, a custom proxy): method, path template and tag header are configured.</summary>
    Generic,

    /// <summary>Cloudflare's purge API: absolute URLs, cache tags, hosts, within the account's rate limits.</summary>
    Cloudflare,

    /// <summary>Fastly's purge API: a URL per host, surrogate keys, purge_all; soft purges.</summary>
    Fastly,

    /// <summary>Akamai's Fast Purge API v3: absolute URLs, cache tags, CP codes; EdgeGrid-signed; done a few seconds after it answers.</summary>
    Akamai,

    /// <summary>bunny.net's purge API: an absolute URL a call per host and scheme, cache tags, the pull zone; within the account's rate limits.</summary>
    Bunny,

    /// <summary>Amazon CloudFront's invalidations, signed with SigV4: site paths for the whole distribution, completed later.</summary>
    CloudFront,

    /// <summary>Azure Front Door Standard/Premium through Azure Resource Manager: paths and wildcards per domain, completed later.</summary>
    AzureFrontDoor,
}
