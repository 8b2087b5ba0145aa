namespace CachePurge.Module.Models;

/// <summary>Why a change to a content item purges a page or a tag.</summary>
public enum ContentPurgeReason
{
    /// <summary>The item's own URL (Autoroute).</summary>
    Route,

    /// <summary>The item is the site's home page.</summary>
    HomePage,

    /// <summary>The list that contains the item (<c>ContainedPart</c>).</summary>
    Container,

    /// <summary>One of the extra URLs of the item's <see cref="PurgeUrlsPart"/>.</summary>
    ExtraUrl,

    /// <summary>The item's tag: every page that displays it, on caches that purge by tag.</summary>
    ContentTag,
}
