namespace CachePurge.Module.Models;

/// <summary>A change to something other than a content item that can change every page of the site.</summary>
public enum SiteChangeKind
{
    /// <summary>A Liquid template of OrchardCore.Templates was saved or removed.</summary>
    Templates,

    /// <summary>A layer or its rule changed, or a widget was published into a layer, zone or position it was not in.</summary>
    Layers,

    /// <summary>A site setting changed: the site name, the home page, a module's settings group; not this module's own.</summary>
    SiteSettings,

    /// <summary>The front-end theme changed.</summary>
    Theme,

    /// <summary>A feature was enabled or disabled.</summary>
    Features,

    /// <summary>A shape placement of OrchardCore.Placements was saved or removed.</summary>
    Placements,

    /// <summary>A recipe, such as a deployment plan's import, asked for every page to be purged; no setting turns it off.</summary>
    Requested,
}
