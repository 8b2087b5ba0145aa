namespace CachePurge.Core;

/// <summary>How one cache is told to drop every page of the site; <see cref="CacheEndpoint.HowToPurgeEverything"/> chooses.</summary>
public enum PurgeEverythingMethod
{
    /// <summary>Every page carries the site's tag and the cache purges by tag: one tag purge drops exactly the site's pages.</summary>
    SiteTag,

    /// <summary>The cache drops every page of the site's hosts in one request (Varnish <c>BAN</c>).</summary>
    Everything,

    /// <summary>The cache can do neither (Squid, nginx, a CDN without tags): only purging page by page reaches it.</summary>
    NotPossible,
}
