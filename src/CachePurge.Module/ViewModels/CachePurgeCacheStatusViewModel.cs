using CachePurge.Core;

namespace CachePurge.Module.ViewModels;

/// <summary>One cache as the operations page lists it.</summary>
public sealed class CachePurgeCacheStatusViewModel
{
    public string Name { get; set; }

    public CacheKind Kind { get; set; }

    public string BaseUrl { get; set; }

    /// <summary>Purges waiting for this cache.</summary>
    public int Pending { get; set; }

    /// <summary>How "purge everything" would reach this cache; it is offered only when it can.</summary>
    public PurgeEverythingMethod EverythingMethod { get; set; }

    /// <summary>Last success, last error, circuit and journal; null when the engine has none for this cache.</summary>
    public EndpointHealth Health { get; set; }

    /// <summary>CloudFront: the invalidation paths sent this month against the budget; null for other caches.</summary>
    public InvalidationPathCount InvalidationPaths { get; set; }

    /// <summary>Purges per minute over the last hour.</summary>
    public CachePurgeChartViewModel PurgesChart { get; set; }

    /// <summary>Publish-to-acknowledgement latency per minute over the last hour.</summary>
    public CachePurgeChartViewModel LatencyChart { get; set; }

    /// <summary>For a CDN that completes its purges later: those still in progress there and those done lately; else null.</summary>
    public CdnCompletions Completions { get; set; }
}
