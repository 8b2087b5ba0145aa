namespace CachePurge.Module.Services;

/// <summary>
/// The tags pages carry for the caches to index, and that purges name: one per content item shown on the page, and
/// one per tenant that every tagged page of the tenant carries. Both name the tenant: tenants set up from the same
/// recipe share content item ids, and a cache in front of several tenants must not drop one tenant's pages when an
/// item of another tenant changes.
/// </summary>
public static class ContentTags
{
    /// <summary>Prefix of the tag of one content item, followed by the tenant, a dash and the item's id.</summary>
    public const string ContentItemPrefix = "ci-";

    /// <summary>Prefix of the tag every tagged page of a tenant carries.</summary>
    public const string SitePrefix = "site-";

    /// <summary>Orchard's own dynamic-cache dependency on one content item, e.g. <c>contentitemid:4x2k9</c>.</summary>
    public const string OrchardDependencyPrefix = "contentitemid:";

    /// <summary>The tag of one content item of a tenant: <c>ci-&lt;tenant&gt;-&lt;id&gt;</c>, e.g. <c>ci-Default-4x2k9</c>.</summary>
    public static string ForContentItem(string tenantName, string contentItemId) =>
        ContentItemPrefix + TenantToken(tenantName) + "-" + contentItemId;

    /// <summary>The tag of every tagged page of a tenant: <c>site-&lt;tenant&gt;</c>, e.g. <c>site-Default</c>.</summary>
    public static string ForSite(string tenantName) => SitePrefix + TenantToken(tenantName);

    /// <summary>Tags are single tokens of visible ASCII, like the engine's; an id that is not one is not tagged.</summary>
    public static bool IsToken(string value) =>
        !string.IsNullOrEmpty(value) && value.All(c => c > ' ' && c < 127 && c != ',');

    // The tenant's name as it is when it is plain ASCII, which Orchard's names (\w+) nearly always are. Other letters,
    // which a header cannot carry, are percent-encoded as UTF-8, and so is a dash, so that the first dash after the
    // prefix always ends the tenant's part and two tenants can never produce the same tag.
    private static string TenantToken(string tenantName) =>
        Uri.EscapeDataString(tenantName).Replace("-", "%2D", StringComparison.Ordinal);
}
