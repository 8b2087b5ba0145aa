namespace CachePurge.Core.Protocols;

/// <summary>Where the site's pages live, for backends that name pages by absolute URL or purge by host or prefix.</summary>
internal sealed record SiteAddresses(IReadOnlyList<SiteHost> Hosts, string PathBase)
{
    public static SiteAddresses None { get; } = new([], "");
}
