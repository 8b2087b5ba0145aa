namespace CachePurge.Core;

/// <summary>How one cache answered one purge.</summary>
public enum PurgeOutcome
{
    /// <summary>The cache removed what was asked (2xx).</summary>
    Purged,

    /// <summary>The cache had nothing cached there (Squid 404, ngx_cache_purge 404 or 412): as good as purged.</summary>
    NotCached,

    /// <summary>The cache refused us (401, 403, 405): its ACL or credentials need fixing. Kept and retried slowly.</summary>
    Refused,

    /// <summary>The cache could not be reached, timed out or answered 5xx/429 even after retries. Kept and redelivered.</summary>
    Failed,
}
