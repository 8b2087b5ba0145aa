namespace CachePurge.Module.ViewModels;

/// <summary>What a chart of the operations page plots, which decides its title and the unit of its axis.</summary>
public enum CachePurgeChartKind
{
    /// <summary>Requests per minute, purged and failed, stacked.</summary>
    PurgesPerMinute,

    /// <summary>Publish-to-acknowledgement latency per minute, p50 and p95, in milliseconds.</summary>
    Latency,
}
