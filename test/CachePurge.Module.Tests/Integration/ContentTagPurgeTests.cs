using System.Diagnostics.Metrics;
using System.Net;
using CachePurge.Module.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Autoroute.Models;
using OrchardCore.ContentManagement;
using OrchardCore.ContentManagement.Metadata;
using OrchardCore.ContentManagement.Metadata.Settings;
using OrchardCore.Html.Models;
using OrchardCore.Html.Settings;
using OrchardCore.Lists.Models;
using OrchardCore.Title.Models;

namespace CachePurge.Module.Tests.Integration;

/// <summary>Pages that show an item elsewhere than at its own URL leave Varnish by the item's tag.</summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class ContentTagPurgeTests(OrchardSite site)
{
    [Fact]
    public async Task Publishing_an_item_makes_the_list_page_showing_it_a_miss_with_the_new_title()
    {
        await DefineTypesAsync();
        var listId = await CreateAsync("TagList", "tag-list", "Tag list");
        var itemId = await CreateAsync("TagItem", "tag-list-item", "First list item title", listId);
        await AssertCachedAsync("/tag-list", "First list item title");

        await RetitleAsync(itemId, "Second list item title");
        await site.WhenPurgedAsync();

        var (hit, status, body) = await site.GetThroughCacheAsync("/tag-list");
        Assert.False(hit);
        Assert.Equal(200, status);
        Assert.Contains("Second list item title", body);
    }

    [Fact]
    public async Task Publishing_an_item_shown_on_the_home_page_makes_the_home_page_a_miss_with_the_new_title()
    {
        await DefineTypesAsync();
        var itemId = await CreateAsync("TagItem", "home-shown-item", "First home item title");

        // The home page is not the item's container: only the item's tag can take it out of Varnish.
        await EditAsync("cachepurgesamplehome", item => item.Alter<HtmlBodyPart>(p => p.Html =
            $"<p>This page is served through Varnish.</p>{{{{ \"{itemId}\" | content_item_id | shape_build_display: \"Summary\" | shape_render }}}}"));
        await site.WhenPurgedAsync();
        await AssertCachedAsync("/", "First home item title");

        await RetitleAsync(itemId, "Second home item title");
        await site.WhenPurgedAsync();

        var (hit, _, body) = await site.GetThroughCacheAsync("/");
        Assert.False(hit);
        Assert.Contains("Second home item title", body);
    }

    [Fact]
    public async Task A_part_served_from_the_dynamic_cache_still_carries_the_tag_of_the_item_inside_it()
    {
        await DefineTypesAsync();
        var itemId = await CreateAsync("TagItem", "cached-part-item", "Item inside a cached block");
        await CreateAsync("TagPage", "cached-part-page", "Cached part page", html:
            $"{{% cache \"cachepurge-cached-part\" %}}<p>rendered for {{{{ Request.QueryString }}}}</p>{{{{ \"{itemId}\" | content_item_id | shape_build_display: \"Summary\" | shape_render }}}}{{% endcache %}}");

        var (firstBody, firstTags) = await GetAtOriginAsync("/cached-part-page?first");
        var (secondBody, secondTags) = await GetAtOriginAsync("/cached-part-page?second");

        Assert.Contains("rendered for ?first", firstBody);
        Assert.Contains("ci-Default-" + itemId, firstTags);

        // The block was not rendered again, so the item was not built again: its tag came from the dynamic cache.
        Assert.Contains("rendered for ?first", secondBody);
        Assert.Contains("Item inside a cached block", secondBody);
        Assert.Contains("ci-Default-" + itemId, secondTags);
    }

    [Fact]
    public async Task A_page_with_more_tags_than_the_limit_carries_only_the_site_tag_and_purging_that_tag_evicts_it()
    {
        await DefineTypesAsync();
        var listId = await CreateAsync("TagList", "many-tags", "Many tags");
        for (var i = 0; i < 12; i++)
        {
            await CreateAsync("TagItem", $"many-tags-{i}", $"Many tags item {i}", listId);
        }

        long overflows = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "CachePurge" && instrument.Name == "cachepurge.tags.overflow")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref overflows, value));
        listener.Start();

        await site.UpdateSettingsAsync(s => s.ResponseTagHeaderLimit = 256);
        try
        {
            var (_, tags) = await GetAtOriginAsync("/many-tags");
            Assert.Equal(["site-Default"], tags);
            Assert.True(Interlocked.Read(ref overflows) >= 1, "The overflow should be counted in cachepurge.tags.overflow.");
            await AssertCachedAsync("/many-tags", "Many tags item 11");

            // The operations page purges everything from Varnish with the site tag rather than a BAN.
            using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
            var page = await admin.GetStringAsync("Admin/CachePurge/Index");
            using var response = await admin.PostAsync("Admin/CachePurge/PurgeEverything", new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = AdminBrowser.Token(page),
                ["cache"] = "varnish",
            });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            await site.WhenPurgedAsync();

            Assert.False((await site.GetThroughCacheAsync("/many-tags")).Hit);
            Assert.Contains("tag:site-Default", await admin.GetStringAsync("Admin/CachePurge/Index"));
        }
        finally
        {
            await site.UpdateSettingsAsync(s => s.ResponseTagHeaderLimit = 7500);
        }
    }

    private Task DefineTypesAsync() => site.InTenantAsync(async services =>
    {
        var definitions = services.GetRequiredService<IContentDefinitionManager>();
        await definitions.AlterTypeDefinitionAsync("TagItem", type => type
            .WithPart("TitlePart")
            .WithPart("AutoroutePart", part => part.WithSettings(new AutoroutePartSettings { AllowCustomPath = true })));
        await definitions.AlterTypeDefinitionAsync("TagList", type => type
            .WithPart("TitlePart")
            .WithPart("AutoroutePart", part => part.WithSettings(new AutoroutePartSettings { AllowCustomPath = true }))
            .WithPart("ListPart", part => part.WithSettings(new ListPartSettings { ContainedContentTypes = ["TagItem"], PageSize = 50 })));

        // Pages whose HTML is a Liquid template (3.0 renders Liquid in HTML bodies only when asked): one that shows
        // other items, one that caches part of itself.
        await definitions.AlterTypeDefinitionAsync("TagPage", type => type
            .WithPart("TitlePart")
            .WithPart("AutoroutePart", part => part.WithSettings(new AutoroutePartSettings { AllowCustomPath = true }))
            .WithPart("HtmlBodyPart", part => part.WithSettings(new HtmlBodyPartSettings { SanitizeHtml = false, RenderLiquid = true })));
        await definitions.AlterTypeDefinitionAsync("Page", type => type
            .WithPart("HtmlBodyPart", part => part.WithSettings(new HtmlBodyPartSettings { SanitizeHtml = false, RenderLiquid = true })));
    });

    private Task<string> CreateAsync(string type, string path, string title, string listId = null, string html = null) => site.CreateAsync(type, path, title, item =>
    {
        if (html is not null)
        {
            item.Alter<HtmlBodyPart>(p => p.Html = html);
        }

        if (listId is not null)
        {
            item.Alter<ContainedPart>(p =>
            {
                p.ListContentItemId = listId;
                p.ListContentType = "TagList";
            });
        }
    });

    private Task RetitleAsync(string id, string title) => EditAsync(id, item =>
    {
        item.DisplayText = title;
        item.Alter<TitlePart>(p => p.Title = title);
    });

    private Task EditAsync(string id, Action<ContentItem> change) => site.PublishEditAsync(id, change);

    private async Task AssertCachedAsync(string path, string text)
    {
        var first = await site.GetThroughCacheAsync(path);
        Assert.Equal(200, first.Status);
        Assert.Contains(text, first.Body);
        Assert.True((await site.GetThroughCacheAsync(path)).Hit, $"The second GET of {path} should be a cache hit.");
    }

    private async Task<(string Body, string[] Tags)> GetAtOriginAsync(string path)
    {
        using var client = new HttpClient { BaseAddress = site.BaseUrl };
        using var response = await client.GetAsync(path.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tags = response.Headers.TryGetValues("xkey", out var values) ? string.Join(' ', values).Split(' ') : [];
        return (await response.Content.ReadAsStringAsync(), tags);
    }
}
