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

    /// <summary>
    /// The response header that lists a page's tags for the caches to index: <c>xkey</c> for Varnish with xkey,
    /// <c>Surrogate-Key</c> for CDNs that use surrogate keys. Empty sends no tags.
    /// </summary>
    public string ResponseTagHeader { get; set; } = "xkey";

    /// <summary>What separates the tags in <see cref="ResponseTagHeader"/>: a space (xkey, Surrogate-Key) or a comma.</summary>
    public string ResponseTagSeparator { get; set; } = " ";

    /// <summary>Above this many bytes, a page carries only the site tag instead of its content item tags.</summary>
    public int ResponseTagHeaderLimit { get; set; } = 7500;

    /// <summary>Which changes other than content (templates, layers, site settings, theme, features, placements) purge every page.</summary>
    public CachePurgeSiteChangeSettings SiteChanges { get; set; } = new();
}
