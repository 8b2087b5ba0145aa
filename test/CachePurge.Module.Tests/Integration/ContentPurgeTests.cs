using CachePurge.Module.Models;
using CachePurge.Module.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Autoroute.Models;
using OrchardCore.ContentManagement;
using OrchardCore.Html.Models;

namespace CachePurge.Module.Tests.Integration;

[Collection(OrchardSiteCollection.Name)]
public sealed class ContentPurgeTests(OrchardSite site)
{
    [Fact]
    public async Task Publishing_an_edit_makes_the_next_get_a_miss_with_the_new_text()
    {
        var id = await CreatePageAsync("publish-edit", "first text");
        await AssertCachedAsync("/publish-edit", "first text");

        await EditAsync(id, item => item.Alter<HtmlBodyPart>(p => p.Html = "<p>second text</p>"));
        await site.WhenPurgedAsync();

        var (hit, status, body) = await site.GetThroughCacheAsync("/publish-edit");
        Assert.False(hit);
        Assert.Equal(200, status);
        Assert.Contains("second text", body);
    }

    [Fact]
    public async Task Changing_the_slug_purges_the_old_path()
    {
        var id = await CreatePageAsync("old-slug", "slug text");
        await AssertCachedAsync("/old-slug", "slug text");

        await EditAsync(id, item => item.Alter<AutoroutePart>(p => p.Path = "new-slug"));
        await site.WhenPurgedAsync();

        var (hit, status, _) = await site.GetThroughCacheAsync("/old-slug");
        Assert.False(hit);
        Assert.Equal(404, status);
    }

    [Fact]
    public async Task Unpublishing_purges_the_page()
    {
        var id = await CreatePageAsync("to-unpublish", "unpublish text");
        await AssertCachedAsync("/to-unpublish", "unpublish text");

        await site.InTenantAsync(async services =>
        {
            var contentManager = services.GetRequiredService<IContentManager>();
            await contentManager.UnpublishAsync(await contentManager.GetAsync(id, VersionOptions.Latest));
        });
        await site.WhenPurgedAsync();

        Assert.Equal(404, (await site.GetThroughCacheAsync("/to-unpublish")).Status);
    }

    [Fact]
    public async Task Deleting_purges_the_page()
    {
        var id = await CreatePageAsync("to-delete", "delete text");
        await AssertCachedAsync("/to-delete", "delete text");

        await site.InTenantAsync(async services =>
        {
            var contentManager = services.GetRequiredService<IContentManager>();
            await contentManager.RemoveAsync(await contentManager.GetAsync(id, VersionOptions.Latest));
        });
        await site.WhenPurgedAsync();

        Assert.Equal(404, (await site.GetThroughCacheAsync("/to-delete")).Status);
    }

    [Fact]
    public async Task Publishing_the_home_page_purges_the_root()
    {
        // The sample recipe made this item the home page.
        await AssertCachedAsync("/", "served through Varnish");

        await EditAsync("cachepurgesamplehome", item => item.Alter<HtmlBodyPart>(p => p.Html = "<p>The home page changed.</p>"));
        await site.WhenPurgedAsync();

        var (hit, _, body) = await site.GetThroughCacheAsync("/");
        Assert.False(hit);
        Assert.Contains("The home page changed.", body);
    }

    [Fact]
    public async Task Publishing_purges_the_extra_urls_of_the_item()
    {
        await CreatePageAsync("listing", "listing text");
        await AssertCachedAsync("/listing", "listing text");

        await CreatePageAsync("extra-urls", "extra text", purgeUrls: ["/listing"]);
        await site.WhenPurgedAsync();

        Assert.False((await site.GetThroughCacheAsync("/listing")).Hit);
    }

    [Fact]
    public async Task A_request_that_fails_after_publishing_purges_nothing()
    {
        var id = await CreatePageAsync("failing", "kept text");
        await AssertCachedAsync("/failing", "kept text");

        await site.PublishThenFailAsync(id);
        await site.WhenPurgedAsync();

        var (hit, _, body) = await site.GetThroughCacheAsync("/failing");
        Assert.True(hit);
        Assert.Contains("kept text", body);
    }

    private async Task AssertCachedAsync(string path, string text)
    {
        var first = await site.GetThroughCacheAsync(path);
        Assert.Equal(200, first.Status);
        Assert.Contains(text, first.Body);

        var second = await site.GetThroughCacheAsync(path);
        Assert.True(second.Hit, $"The second GET of {path} should be a cache hit.");
    }

    private Task<string> CreatePageAsync(string path, string text, string[] purgeUrls = null) => site.CreateAsync("Page", path, path, item =>
    {
        item.Alter<HtmlBodyPart>(p => p.Html = $"<p>{text}</p>");
        item.Alter<PurgeUrlsPart>(p => p.Urls = purgeUrls ?? []);
    });

    private Task EditAsync(string id, Action<ContentItem> change) => site.PublishEditAsync(id, change);
}
