namespace CachePurge.Module.Models;

/// <summary>
/// How long shared caches (Varnish, Squid, nginx, a CDN) and browsers may keep the site's pages, stored with the site
/// settings. Lifetimes are in seconds. Long lifetimes are safe because every change is purged; browsers cannot be
/// purged, so their lifetime stays short.
/// </summary>
public sealed class CachePolicySettings
{
    /// <summary>Off sends no caching headers, as Orchard Core does on its own; the lifetimes are kept.</summary>
    public bool Enabled { get; set; }

    /// <summary>The shared lifetime of a page that no other rule names.</summary>
    public int DefaultSeconds { get; set; } = 600;

    /// <summary>The shared lifetime of the home page; null uses the rule of the item it shows.</summary>
    public int? HomePageSeconds { get; set; }

    /// <summary>The shared lifetime of the page of an item of a content type, by content type.</summary>
    public List<CachePolicyContentTypeRule> ContentTypes { get; set; } = [];

    /// <summary>Rules for pages that show no content item (or of a type no rule names), tried in order.</summary>
    public List<CachePolicyPathRule> Paths { get; set; } = [];

    /// <summary>The shared lifetime of a 404 answer: short, so that a page created later is not hidden for long.</summary>
    public int NotFoundSeconds { get; set; } = 60;

    /// <summary>The shared lifetime of a 301 (permanent) redirect. Other redirects get no caching headers.</summary>
    public int RedirectSeconds { get; set; } = 3600;

    /// <summary>How long a browser may keep a page (<c>max-age</c>), never more than the shared lifetime.</summary>
    public int BrowserSeconds { get; set; } = 60;

    /// <summary>How long a cache may serve a page that has just expired while it fetches a new one (RFC 5861).</summary>
    public int StaleWhileRevalidateSeconds { get; set; } = 30;

    /// <summary>How long a cache may serve an expired page while the site answers with errors or not at all (RFC 5861).</summary>
    public int StaleIfErrorSeconds { get; set; } = 86400;

    /// <summary>Also sends the shared lifetime in <c>Surrogate-Control</c>, which some CDNs read and then remove.</summary>
    public bool SurrogateControl { get; set; }

    /// <summary>Also sends the shared lifetime in <c>CDN-Cache-Control</c> (RFC 9213), which CDNs read before <c>Cache-Control</c>.</summary>
    public bool CdnCacheControl { get; set; }
}
