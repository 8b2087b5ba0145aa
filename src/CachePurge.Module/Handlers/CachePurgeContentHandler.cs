using CachePurge.Core;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.ContentManagement;
using OrchardCore.ContentManagement.Handlers;

namespace CachePurge.Module.Handlers;

/// <summary>
/// Collects the pages and tags a change makes stale (see <see cref="ContentPurgeTargets"/>), for the live version and,
/// after a slug change, the version that was live before. Nothing is sent from here; the collector sends after the
/// request's changes are saved.
/// </summary>
public sealed class CachePurgeContentHandler : ContentHandlerBase
{
    private readonly IServiceProvider _serviceProvider;
    private readonly PurgeUrlCollector _collector;
    private readonly ContentPurgeTargets _targets;
    private IContentManager _contentManager;

    public CachePurgeContentHandler(IServiceProvider serviceProvider, PurgeUrlCollector collector, ContentPurgeTargets targets)
    {
        _serviceProvider = serviceProvider;
        _collector = collector;
        _targets = targets;
    }

    public override async Task PublishedAsync(PublishContentContext context)
    {
        await CollectAsync(context.ContentItem);

        // The version that was live until now: after a slug change its old URL must leave the caches too.
        await CollectAsync(context.PreviousItem);
    }

    // The version that was live is the one in the caches, whatever the latest draft says.
    public override Task UnpublishedAsync(PublishContentContext context) => CollectAsync(context.PreviousItem ?? context.ContentItem);

    public override async Task RemovingAsync(RemoveContentContext context)
    {
        // Discarding a draft of a published item leaves the live page as it is.
        if (!context.NoActiveVersionLeft || !ContentPurgeTargets.IsStored(context.ContentItem) || context.ContentItem.Published)
        {
            return;
        }

        // Once removed, the published version cannot be queried any more; its route may differ from this version's.
        _contentManager ??= _serviceProvider.GetRequiredService<IContentManager>();
        await CollectAsync(await _contentManager.GetAsync(context.ContentItem.ContentItemId, VersionOptions.Published));
    }

    public override Task RemovedAsync(RemoveContentContext context) =>
        context.NoActiveVersionLeft ? CollectAsync(context.ContentItem) : Task.CompletedTask;

    private async Task CollectAsync(ContentItem contentItem)
    {
        foreach (var target in await _targets.ResolveAsync(contentItem))
        {
            if (target.Kind == PurgeTargetKind.Tag)
            {
                _collector.AddTag(target.Value);
            }
            else
            {
                _collector.AddUrl(target.Value);
            }
        }

        await _collector.SaveAsync();
    }
}
