namespace CachePurge.Module.Models;

/// <summary>Which site-wide changes purge every page of the site; each is on unless turned off.</summary>
public sealed class CachePurgeSiteChangeSettings
{
    public bool Templates { get; set; } = true;

    public bool Layers { get; set; } = true;

    public bool SiteSettings { get; set; } = true;

    public bool Theme { get; set; } = true;

    public bool Features { get; set; } = true;

    public bool Placements { get; set; } = true;

    /// <summary>Whether a change of <paramref name="kind"/> purges everything.</summary>
    public bool Purges(SiteChangeKind kind) => kind switch
    {
        SiteChangeKind.Templates => Templates,
        SiteChangeKind.Layers => Layers,
        SiteChangeKind.SiteSettings => SiteSettings,
        SiteChangeKind.Theme => Theme,
        SiteChangeKind.Features => Features,
        SiteChangeKind.Placements => Placements,
        _ => true,
    };
}
