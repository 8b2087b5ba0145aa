using CachePurge.Module.Models;
using CachePurge.Module.Services;

namespace CachePurge.Module.ViewModels;

// Not sealed: Orchard builds editor shapes around a runtime proxy of the view model.
public class PurgePreviewViewModel
{
    /// <summary>False when purging is off or no cache is configured: publishing purges nothing.</summary>
    public bool IsActive { get; set; }

    /// <summary>False for an item that was never saved.</summary>
    public bool IsStored { get; set; }

    public IReadOnlyList<PurgePreviewTarget> Paths { get; set; } = [];

    public IReadOnlyList<PurgePreviewTarget> Tags { get; set; } = [];

    public IReadOnlyList<string> Hosts { get; set; } = [];

    public IReadOnlyList<PurgePreviewCache> Caches { get; set; } = [];

    /// <summary>The cache policy, or null when it is off.</summary>
    public CachePolicySettings Policy { get; set; }

    /// <summary>How long shared caches keep the item's page, and the rule that said so; null when the policy is off.</summary>
    public CacheLifetime Lifetime { get; set; }
}
