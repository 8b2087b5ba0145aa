using Microsoft.Extensions.DependencyInjection;
using OrchardCore.ContentManagement;
using OrchardCore.DisplayManagement;
using OrchardCore.DisplayManagement.Descriptors;
using OrchardCore.Environment.Cache;

namespace CachePurge.Module.Services;

/// <summary>
/// A menu is a content item that every page of a theme such as TheTheme shows, but Orchard builds it into shapes without
/// displaying it as content, so no display handler sees it. This adds it to the items the page displays, so that the
/// page carries its tag and publishing the menu takes the page out of the caches; and, like the display handler, makes
/// it a dependency of the dynamic cache block that holds the menu, so that the block keeps the tag when served from
/// the dynamic cache and is evicted with the menu.
/// </summary>
public sealed class MenuContentTagShapes : ShapeTableProvider
{
    public override ValueTask DiscoverAsync(ShapeTableBuilder builder)
    {
        // Processing runs only when the menu is built, not when the dynamic cache serves it, so this costs nothing then.
        builder.Describe("Menu").OnProcessing(async context =>
        {
            // Found as the Menu module finds it: its own processing may run after this one.
            var menu = context.Shape;
            var contentItemId = menu.TryGetProperty("Alias", out object alias) && alias is not null
                ? await context.ServiceProvider.GetRequiredService<IContentHandleManager>().GetContentItemIdAsync(alias.ToString())
                : menu.TryGetProperty("ContentItemId", out object id) ? id?.ToString() : null;

            if (ContentTags.IsToken(contentItemId))
            {
                context.ServiceProvider.GetRequiredService<DisplayedContentItems>().Add(contentItemId);
                context.ServiceProvider.GetService<ICacheScopeManager>()?.AddDependencies(ContentTags.OrchardDependencyPrefix + contentItemId);
            }
        });

        return ValueTask.CompletedTask;
    }
}
