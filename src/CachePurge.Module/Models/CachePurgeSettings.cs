namespace CachePurge.Module.Models;

/// <summary>The tenant's cache purge settings, stored with the site settings.</summary>
public sealed class CachePurgeSettings
{
    /// <summary>Off keeps the settings but sends nothing, e.g. while a cache is being replaced.</summary>
    public bool Enabled { get; set; } = true;

    public List<CachePurgeCacheSettings> Caches { get; set; } = [];

    /// <summary>The site's public host names; empty means the host of the site's base URL.</summary>
    public List<string> SiteHosts { get; set; } = [];

    /// <summary>Pending paths of one cache above which they are replaced by one purge of everything; 0 disables.</summary>
    public int EscalationThreshold { get; set; } = 500;
}
