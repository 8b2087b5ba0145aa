namespace CachePurge.Core.Protocols;

/// <summary>What a cache backend can be asked to remove, as it declares it.</summary>
[Flags]
internal enum PurgeCapabilities
{
    None = 0,

    /// <summary>One page, as a path sent to the cache with the site's <c>Host</c> header (Varnish, Squid, nginx).</summary>
    PathWithHost = 1,

    /// <summary>One page, as an absolute URL for each site host and scheme (CDNs).</summary>
    AbsoluteUrl = 2,

    /// <summary>Every page carrying a tag (xkey, surrogate keys, cache tags).</summary>
    Tag = 4,

    /// <summary>Every page under a URL prefix.</summary>
    Prefix = 8,

    /// <summary>Every page of one host name.</summary>
    Host = 16,

    /// <summary>Everything the cache holds, whatever the site (a Varnish BAN on the host, a CDN zone).</summary>
    Everything = 32,

    /// <summary>Marks pages stale instead of removing them.</summary>
    SoftPurge = 64,

    /// <summary>One page, as its site path, for every host at once (CloudFront).</summary>
    SitePath = 128,
}
