using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OrchardCore.ContentManagement.Routing;
using OrchardCore.Entities;

namespace CachePurge.Module.Tests.Unit;

/// <summary>What the policy writes into a response, given the shared verdict and the page's own headers.</summary>
public sealed class CachePolicyResponseWriterTests
{
    private static readonly AutorouteOptions _autorouteOptions = new()
    {
        // As OrchardCore.Contents configures them.
        GlobalRouteValues = new RouteValueDictionary { { "Area", "OrchardCore.Contents" }, { "Controller", "Item" }, { "Action", "Display" } },
        ContentItemIdKey = "contentItemId",
    };

    [Theory]
    [InlineData(SharedCacheVerdict.Shareable, null, "public, max-age=60, s-maxage=600, stale-while-revalidate=30, stale-if-error=86400")]
    [InlineData(SharedCacheVerdict.Shareable, "public, max-age=5", "public, max-age=5")]
    [InlineData(SharedCacheVerdict.PageForbids, "no-cache, no-store", "no-cache, no-store")]
    [InlineData(SharedCacheVerdict.SignedIn, null, "private, no-cache")]
    [InlineData(SharedCacheVerdict.Admin, null, "private, no-cache")]
    [InlineData(SharedCacheVerdict.Preview, null, "private, no-cache")]
    [InlineData(SharedCacheVerdict.UserRoute, null, "private, no-cache")]
    [InlineData(SharedCacheVerdict.SetsCookie, null, "private, no-cache")]
    [InlineData(SharedCacheVerdict.Status, null, null)]
    [InlineData(SharedCacheVerdict.Method, null, null)]
    public async Task The_page_keeps_its_own_choice_personal_pages_are_private_and_other_answers_are_left_alone(
        SharedCacheVerdict verdict, string ownCacheControl, string expected)
    {
        var writer = await PreparedWriterAsync(new CachePolicySettings { Enabled = true });
        var context = Context("/about");
        if (ownCacheControl is not null)
        {
            context.Response.Headers.CacheControl = ownCacheControl;
        }

        writer.Write(context, verdict);

        Assert.Equal(expected, context.Response.Headers.TryGetValue(HeaderNames.CacheControl, out var value) ? value.ToString() : null);
    }

    [Fact]
    public async Task A_page_with_its_own_expires_header_is_left_alone()
    {
        var writer = await PreparedWriterAsync(new CachePolicySettings { Enabled = true });
        var context = Context("/about");
        context.Response.Headers.Expires = "Thu, 01 Jan 2026 00:00:00 GMT";

        Assert.Null(writer.Write(context, SharedCacheVerdict.Shareable));
        Assert.False(context.Response.Headers.ContainsKey(HeaderNames.CacheControl));
    }

    [Fact]
    public async Task The_policy_off_writes_nothing()
    {
        var siteService = new FakeSiteService();
        siteService.Site.Put(new CachePolicySettings { Enabled = false });
        var writer = new CachePolicyResponseWriter(new DisplayedContentItems(), siteService, new CurrentCachePolicy(), Options.Create(_autorouteOptions));

        Assert.False(await writer.PrepareAsync());
    }

    [Fact]
    public async Task The_item_the_route_displays_gives_the_content_type_rule()
    {
        var displayed = new DisplayedContentItems();
        displayed.Add("menu1", "Menu");
        displayed.Add("article1", "Article");
        var writer = await PreparedWriterAsync(new CachePolicySettings { Enabled = true, ContentTypes = [new() { ContentType = "Article", Seconds = 86400 }, new() { ContentType = "Menu", Seconds = 5 }] }, displayed);
        var context = Context("/blog/post");
        context.Request.RouteValues = new() { ["area"] = "OrchardCore.Contents", ["controller"] = "Item", ["action"] = "Display", ["contentItemId"] = "article1" };

        var lifetime = writer.Write(context, SharedCacheVerdict.Shareable);

        Assert.Equal(new CacheLifetime(86400, CachePolicyRuleKind.ContentType, "Article"), lifetime);
        Assert.Contains("s-maxage=86400", context.Response.Headers.CacheControl.ToString());
    }

    [Fact]
    public async Task The_home_items_own_path_is_the_home_page_too()
    {
        var displayed = new DisplayedContentItems();
        displayed.Add("home1", "Page");
        var siteService = new FakeSiteService();
        siteService.Site.HomeRoute = new RouteValueDictionary { ["Area"] = "OrchardCore.Contents", ["Controller"] = "Item", ["Action"] = "Display", ["contentItemId"] = "home1" };
        var writer = await PreparedWriterAsync(new CachePolicySettings { Enabled = true, HomePageSeconds = 300 }, displayed, siteService);
        var context = Context("/home");
        context.Request.RouteValues = new() { ["area"] = "OrchardCore.Contents", ["controller"] = "Item", ["action"] = "Display", ["contentItemId"] = "home1" };

        Assert.Equal(CachePolicyRuleKind.HomePage, writer.Write(context, SharedCacheVerdict.Shareable).Rule);
    }

    private static async Task<CachePolicyResponseWriter> PreparedWriterAsync(CachePolicySettings settings, DisplayedContentItems displayed = null, FakeSiteService siteService = null)
    {
        siteService ??= new FakeSiteService();
        siteService.Site.Put(settings);
        var writer = new CachePolicyResponseWriter(displayed ?? new DisplayedContentItems(), siteService, new CurrentCachePolicy(), Options.Create(_autorouteOptions));
        Assert.True(await writer.PrepareAsync());
        return writer;
    }

    private static DefaultHttpContext Context(string path)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        return context;
    }
}
