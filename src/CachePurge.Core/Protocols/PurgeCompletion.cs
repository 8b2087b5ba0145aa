namespace CachePurge.Core.Protocols;

/// <summary>When a backend's purge has taken effect.</summary>
internal enum PurgeCompletion
{
    /// <summary>When the call is answered (Varnish, Squid, nginx, Cloudflare, Fastly).</summary>
    Synchronous,

    /// <summary>Later: the answer carries an id the backend reports completion for (Azure Front Door, CloudFront, Akamai).</summary>
    ReportedLater,
}
