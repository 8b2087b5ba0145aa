namespace CachePurge.Core;

/// <summary>The Cloudflare plan of the account that owns the zone: it sets the purge rate limits the engine keeps to.</summary>
public enum CloudflarePlan
{
    /// <summary>800 URLs a second; tag, host, prefix and everything purges 5 a minute, bursts of 25.</summary>
    Free,

    /// <summary>1,500 URLs a second; other purges 5 a second, bursts of 25.</summary>
    Pro,

    /// <summary>1,500 URLs a second; other purges 10 a second, bursts of 50.</summary>
    Business,

    /// <summary>3,000 URLs a second; other purges 50 a second, bursts of 500.</summary>
    Enterprise,
}
