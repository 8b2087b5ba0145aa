using OrchardCore.ContentManagement;

namespace CachePurge.Module.Models;

/// <summary>Extra pages of this site to purge whenever the content item is published, unpublished or removed.</summary>
public sealed class PurgeUrlsPart : ContentPart
{
    public string[] Urls { get; set; } = [];
}
