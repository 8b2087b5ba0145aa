namespace CachePurge.Module.AuditTrail.Models;

/// <summary>What an operator or a client did to the caches, kept with the audit trail event.</summary>
public sealed class AuditTrailCachePurgeEvent
{
    /// <summary>The cache asked for; empty for every cache.</summary>
    public string Cache { get; set; } = "";

    /// <summary>For a purge of everything, how each cache was purged, by name (SiteTag, Ban, NotPossible).</summary>
    public Dictionary<string, string> Methods { get; set; } = [];

    /// <summary>For a replay of dead letters, how many purges were queued again.</summary>
    public int Count { get; set; }

    /// <summary>For saved settings, the settings group (<c>CachePurge</c> or <c>CachePolicy</c>).</summary>
    public string SettingsGroup { get; set; } = "";
}
