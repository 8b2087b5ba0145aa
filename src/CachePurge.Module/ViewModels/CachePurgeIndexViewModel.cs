using CachePurge.Core;

namespace CachePurge.Module.ViewModels;

public sealed class CachePurgeIndexViewModel
{
    /// <summary>False when purging is off or no usable cache is configured.</summary>
    public bool IsActive { get; set; }

    public IReadOnlyList<CacheEndpoint> Caches { get; set; } = [];

    public IReadOnlyDictionary<string, int> PendingCounts { get; set; } = new Dictionary<string, int>();

    public DeadLetterSummary DeadLetters { get; set; } = DeadLetterSummary.None;

    public IReadOnlyList<PurgeResult> RecentResults { get; set; } = [];

    /// <summary>Publish-to-eviction latency percentiles over the recent purges.</summary>
    public EvictionLatency EvictionLatency { get; set; } = new(null, null, null, null);

    /// <summary>The answers of the last test or single-cache purge, when this page is the reply to one.</summary>
    public IReadOnlyList<PurgeResult> TestResults { get; set; }

    /// <summary>What was typed in the purge box, kept when some lines were refused.</summary>
    public string Urls { get; set; }
}
