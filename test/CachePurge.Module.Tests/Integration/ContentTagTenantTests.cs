using CachePurge.Module.Tests.Infrastructure;
using OrchardCore.ContentManagement;
using OrchardCore.Environment.Shell;
using OrchardCore.Html.Models;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// Two tenants of the site behind the one Varnish, both set up from the sample recipe, so that both have the About page
/// with the same content item id: a change on one tenant must leave the other tenant's pages in the cache.
/// </summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class ContentTagTenantTests(OrchardSite site)
{
    private const string SecondTenant = "Second";
    private const string SecondPrefix = "second";
    private const string AboutId = "cachepurgesampleabout";

    [Fact]
    public async Task Each_tenant_tags_its_page_with_its_own_name()
    {
        await site.AddTenantAsync(SecondTenant, SecondPrefix);

        var defaultTags = await GetOriginTagsAsync("/about");
        var secondTags = await GetOriginTagsAsync($"/{SecondPrefix}/about");

        Assert.Contains($"ci-Default-{AboutId}", defaultTags);
        Assert.Contains("site-Default", defaultTags);
        Assert.Contains($"ci-{SecondTenant}-{AboutId}", secondTags);
        Assert.Contains($"site-{SecondTenant}", secondTags);
        Assert.Empty(defaultTags.Intersect(secondTags));
    }

    [Theory]
    [InlineData(ShellSettings.DefaultShellName, "/about", $"/{SecondPrefix}/about")]
    [InlineData(SecondTenant, $"/{SecondPrefix}/about", "/about")]
    public async Task Publishing_an_item_leaves_the_page_of_the_same_item_id_on_the_other_tenant_a_hit(string tenant, string publishedPage, string otherPage)
    {
        await site.AddTenantAsync(SecondTenant, SecondPrefix);
        await AssertCachedAsync(publishedPage);
        await AssertCachedAsync(otherPage);

        await site.PublishEditAsync(AboutId, item => item.Alter<HtmlBodyPart>(p => p.Html = $"<p>Published on {tenant} at {DateTime.UtcNow:O}.</p>"), tenant);
        await site.WhenPurgedAsync(tenant);

        // The purges reached Varnish: the published page left it.
        var published = await site.GetThroughCacheAsync(publishedPage);
        Assert.False(published.Hit, $"{publishedPage} should be a miss after its item was published on {tenant}.");
        Assert.Contains($"Published on {tenant}", published.Body);
        Assert.True((await site.GetThroughCacheAsync(otherPage)).Hit, $"{otherPage} of the other tenant should still be a hit.");
    }

    private async Task AssertCachedAsync(string path)
    {
        Assert.Equal(200, (await site.GetThroughCacheAsync(path)).Status);
        Assert.True((await site.GetThroughCacheAsync(path)).Hit, $"The second GET of {path} should be a cache hit.");
    }

    private async Task<string[]> GetOriginTagsAsync(string path)
    {
        using var client = new HttpClient { BaseAddress = site.BaseUrl };
        using var response = await client.GetAsync(path.TrimStart('/'));
        Assert.Equal(200, (int)response.StatusCode);
        return response.Headers.TryGetValues("xkey", out var values) ? string.Join(' ', values).Split(' ') : [];
    }
}
