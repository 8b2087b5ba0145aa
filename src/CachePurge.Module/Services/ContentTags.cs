using CachePurge.Core;

namespace CachePurge.Module.Services;

/// <summary>
/// The tags pages carry for the caches to index, and that purges name: one per content item shown on the page, and
/// one per tenant that every tagged page of the tenant carries.
/// </summary>
public static class ContentTags
{
    /// <summary>Prefix of the tag of one content item.</summary>
    public const string ContentItemPrefix = "ci-";

    /// <summary>Prefix of the tag every tagged page of a tenant carries.</summary>
    public const string SitePrefix = "site-";

    /// <summary>Orchard's own dynamic-cache dependency on one content item, e.g. <c>contentitemid:4x2k9</c>.</summary>
    public const string OrchardDependencyPrefix = "contentitemid:";

    public static string ForContentItem(string contentItemId) => ContentItemPrefix + contentItemId;

    public static string ForSite(string tenantName) => SitePrefix + tenantName;

    /// <summary>Tags are single tokens of visible ASCII, like the engine's; an id that is not one is not tagged.</summary>
    public static bool IsToken(string value) =>
        !string.IsNullOrEmpty(value) && value.All(c => c > ' ' && c < 127 && c != ',');
}
