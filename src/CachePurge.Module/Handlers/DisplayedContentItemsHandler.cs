using CachePurge.Module.Services;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.ContentManagement;
using OrchardCore.ContentManagement.Display.ContentDisplay;
using OrchardCore.DisplayManagement.Handlers;
using OrchardCore.Environment.Cache;

namespace CachePurge.Module.Handlers;

/// <summary>
/// Notes every content item whose display is built during the request, so that the response can carry its tag.
/// Inside a shape or block that Orchard's dynamic cache is rendering, it also adds the item as a dependency of that
/// cache entry: the entry then remembers the item when it is served from the cache later, and Orchard evicts it when
/// the item is published, so that a page purged from the HTTP caches is not rebuilt from a stale fragment.
/// </summary>
public sealed class DisplayedContentItemsHandler : IContentDisplayHandler
{
    private readonly DisplayedContentItems _displayed;
    private readonly IServiceProvider _serviceProvider;
    private ICacheScopeManager _cacheScopeManager;

    public DisplayedContentItemsHandler(DisplayedContentItems displayed, IServiceProvider serviceProvider)
    {
        _displayed = displayed;
        _serviceProvider = serviceProvider;
    }

    public Task BuildDisplayAsync(ContentItem contentItem, BuildDisplayContext context)
    {
        if (ContentTags.IsToken(contentItem?.ContentItemId))
        {
            _displayed.Add(contentItem.ContentItemId, contentItem.ContentType);

            // Does nothing when no cache scope is open; resolved late because not every host registers it.
            _cacheScopeManager ??= _serviceProvider.GetService<ICacheScopeManager>();
            _cacheScopeManager?.AddDependencies(ContentTags.OrchardDependencyPrefix + contentItem.ContentItemId);
        }

        return Task.CompletedTask;
    }

    public Task BuildEditorAsync(ContentItem contentItem, BuildEditorContext context) => Task.CompletedTask;

    public Task UpdateEditorAsync(ContentItem contentItem, UpdateEditorContext context) => Task.CompletedTask;
}
