using CachePurge.Core;
using CachePurge.Core.Journal;
using CachePurge.Module.Services;

namespace CachePurge.Module.ViewModels;

public sealed class CachePurgeIndexViewModel
{
    /// <summary>False when purging is off or no usable cache is configured.</summary>
    public bool IsActive { get; set; }

    /// <summary>The caches the engine sends to, as it was built with them.</summary>
    public IReadOnlyList<CachePurgeCacheStatusViewModel> Caches { get; set; } = [];

    /// <summary>What is still waiting to be sent, per cache; the page refreshes it while anything waits.</summary>
    public CachePurgeStatusViewModel Status { get; set; } = new([]);

    public DeadLetterSummary DeadLetters { get; set; } = DeadLetterSummary.None;

    /// <summary>Whether the engine's journal takes writes; when not, since when and why.</summary>
    public JournalStatus Journal { get; set; } = JournalStatus.Writable;

    public IReadOnlyList<PurgeResult> RecentResults { get; set; } = [];

    /// <summary>The cache policy's lifetime of each page among <see cref="RecentResults"/>; null when the policy is off.</summary>
    public IReadOnlyDictionary<string, CacheLifetime> RecentLifetimes { get; set; }

    /// <summary>Publish-to-eviction latency percentiles over the recent purges.</summary>
    public EvictionLatency EvictionLatency { get; set; } = new(null, null, null, null);

    /// <summary>The answers of the last test, when this page is the reply to one.</summary>
    public IReadOnlyList<PurgeResult> TestResults { get; set; }

    /// <summary>The purge intents waiting in the site's database, per node of the farm that holds them.</summary>
    public IReadOnlyList<PurgeIntentHolder> IntentHolders { get; set; } = [];

    /// <summary>Every node of the farm seen in the last day, this one first, with what its engine held when it last wrote.</summary>
    public IReadOnlyList<PurgeNodeViewModel> Nodes { get; set; } = [];

    /// <summary>What was typed in the purge box, kept when some lines were refused.</summary>
    public string Urls { get; set; }
}
