using CachePurge.Module.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Alias.Models;
using OrchardCore.ContentManagement;
using OrchardCore.Menu.Models;
using OrchardCore.Title.Models;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// Content every page shows, such as the main menu of TheTheme's layout, is covered by content tags: publishing it takes
/// every page that shows it out of the cache, without a purge of everything.
/// </summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class MenuTagTests(OrchardSite site)
{
    [Fact]
    public async Task Renaming_a_main_menu_item_makes_a_cached_page_showing_the_menu_a_miss_with_the_new_name()
    {
        await site.EnableFeaturesAsync("OrchardCore.Menu");
        var menuId = await CreateMainMenuAsync("First name of the menu item");
        await site.WhenPurgedAsync();

        // The home page builds the menu into Orchard's dynamic cache, from which the About page then serves it: the tag
        // must come with the cached block. About shows the menu but is not its container nor one of its links' targets.
        using (var origin = new HttpClient { BaseAddress = site.BaseUrl })
        {
            (await origin.GetAsync("")).EnsureSuccessStatusCode();
        }

        await site.GetThroughCacheAsync("/about");
        var (hit, _, cached) = await site.GetThroughCacheAsync("/about");
        Assert.True(hit, "The second GET of /about should be a cache hit.");
        Assert.Contains("First name of the menu item", cached);

        // A link shows its item's display text, which the menu item editor sets.
        await site.PublishEditAsync(menuId, menu => menu.Alter<MenuItemsListPart>(part => part.MenuItems[0].DisplayText = "Second name of the menu item"));
        await site.WhenPurgedAsync();

        var (missHit, status, body) = await site.GetThroughCacheAsync("/about");
        Assert.False(missHit, "Publishing the menu did not take /about out of the cache.");
        Assert.Equal(200, status);
        Assert.Contains("Second name of the menu item", body);
    }

    /// <summary>The menu TheTheme's layout shows (alias <c>main-menu</c>), with one link, published; returns its id.</summary>
    private async Task<string> CreateMainMenuAsync(string itemName)
    {
        string id = null;
        await site.InTenantAsync(async services =>
        {
            var contentManager = services.GetRequiredService<IContentManager>();
            var link = await contentManager.NewAsync("LinkMenuItem");
            link.DisplayText = itemName;
            link.Alter<LinkMenuItemPart>(part => part.Url = "~/cachepurge-menu-target");

            var menu = await contentManager.NewAsync("Menu");
            menu.DisplayText = "Main Menu";
            menu.Alter<TitlePart>(part => part.Title = "Main Menu");
            menu.Alter<AliasPart>(part => part.Alias = "main-menu");
            menu.Alter<MenuItemsListPart>(part => part.MenuItems = [link]);
            await contentManager.CreateAsync(menu, VersionOptions.Published);
            id = menu.ContentItemId;
        });
        return id;
    }
}
