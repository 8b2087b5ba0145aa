using CachePurge.Module.Models;
using CachePurge.Module.Services;
using OrchardCore.ContentManagement;
using OrchardCore.ContentManagement.Handlers;
using OrchardCore.Layers.Models;

namespace CachePurge.Module.Handlers;

/// <summary>
/// A widget published into a layer, zone or position it was not in before appears on pages that never showed it, so
/// those pages carry no tag of it: that is a site-wide change of the layers. Orchard's own <c>LayerMetadataHandler</c>
/// watches the same events to refresh its layer state. A widget edited in place, unpublished or removed needs no more
/// than its own tag, which every page showing it carries.
/// </summary>
public sealed class WidgetLayerHandler : ContentHandlerBase
{
    private readonly SiteChangeCollector _collector;

    public WidgetLayerHandler(SiteChangeCollector collector)
    {
        _collector = collector;
    }

    public override Task PublishedAsync(PublishContentContext context)
    {
        if (context.ContentItem.TryGet<LayerMetadata>(out var now) && !SamePlace(now, context.PreviousItem))
        {
            _collector.Add(SiteChangeKind.Layers);
        }

        return Task.CompletedTask;
    }

    private static bool SamePlace(LayerMetadata now, ContentItem previous) =>
        previous is not null
        && previous.TryGet<LayerMetadata>(out var before)
        && string.Equals(before.Layer, now.Layer, StringComparison.Ordinal)
        && string.Equals(before.Zone, now.Zone, StringComparison.Ordinal)
        && before.Position == now.Position
        && before.RenderTitle == now.RenderTitle;
}
