using CachePurge.Module.Services;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace CachePurge.Module.Tests.Unit;

public sealed class ContentTagHeaderTests
{
    [Fact]
    public void Header_lists_the_site_tag_then_one_tag_per_item_in_order()
    {
        var (value, overflowed) = ContentTagHeader.Build("Default", ["b2", "a1"], " ", 7500);

        Assert.Equal("site-Default ci-Default-a1 ci-Default-b2", value);
        Assert.False(overflowed);
    }

    [Fact]
    public void Header_uses_the_configured_separator()
    {
        Assert.Equal("site-Default,ci-Default-a1", ContentTagHeader.Build("Default", ["a1"], ",", 7500).Value);
    }

    [Fact]
    public void Header_over_the_limit_carries_only_the_site_tag()
    {
        var ids = Enumerable.Range(0, 400).Select(i => $"item{i:D22}").ToList();

        var (value, overflowed) = ContentTagHeader.Build("Default", ids, " ", 7500);

        Assert.Equal("site-Default", value);
        Assert.True(overflowed);
    }

    [Fact]
    public void Orchard_dependency_tags_name_displayed_items_and_other_tags_are_ignored()
    {
        var displayed = new DisplayedContentItems();

        displayed.AddDependencies(["contentitemid:abc", "alias:home", "contentitemid:bad id", "ContentItemId:def"]);

        Assert.Equal(["abc", "def"], displayed.Ids.Order());
    }

    [Theory]
    [InlineData("GET", 200, false, null, null, "/about", true)]
    [InlineData("HEAD", 200, false, null, null, "/about", true)]
    [InlineData("POST", 200, false, null, null, "/about", false)]
    [InlineData("GET", 404, false, null, null, "/missing", false)]
    [InlineData("GET", 302, false, null, null, "/moved", false)]
    [InlineData("GET", 200, true, null, null, "/about", false)]
    [InlineData("GET", 200, false, "private, max-age=60", null, "/about", false)]
    [InlineData("GET", 200, false, "no-cache, no-store", null, "/about", false)]
    [InlineData("GET", 200, false, "public, max-age=60", null, "/about", true)]
    [InlineData("GET", 200, false, null, "session=1", "/about", false)]
    [InlineData("GET", 200, false, null, null, "/Admin/Contents", false)]
    [InlineData("GET", 200, false, null, null, "/admin", false)]
    [InlineData("GET", 200, false, null, null, "/administrators", true)]
    public void Only_anonymous_cacheable_front_end_answers_are_tagged(string method, int status, bool signedIn, string cacheControl, string cookie, string path, bool tagged)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.StatusCode = status;
        if (signedIn)
        {
            context.User = new(new System.Security.Claims.ClaimsIdentity([new("name", "editor")], "Cookies"));
        }

        if (cacheControl is not null)
        {
            context.Response.Headers.CacheControl = cacheControl;
        }

        if (cookie is not null)
        {
            context.Response.Headers[HeaderNames.SetCookie] = cookie;
        }

        Assert.Equal(tagged, ContentTagsResponseWriter.IsCacheable(context, "Admin"));
    }
}
