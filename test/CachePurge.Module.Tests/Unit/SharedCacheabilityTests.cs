using System.Security.Claims;
using CachePurge.Module.Services;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using OrchardCore.Admin;
using OrchardCore.ContentPreview;

namespace CachePurge.Module.Tests.Unit;

/// <summary>The one rule the content tags and the cache policy share: may a shared cache keep this response?</summary>
public sealed class SharedCacheabilityTests
{
    [Theory]
    [InlineData("GET", 200, "/about", null, null, SharedCacheVerdict.Shareable)]
    [InlineData("HEAD", 200, "/about", null, null, SharedCacheVerdict.Shareable)]
    [InlineData("GET", 301, "/moved-for-good", null, null, SharedCacheVerdict.Shareable)]
    [InlineData("GET", 404, "/missing", null, null, SharedCacheVerdict.Shareable)]
    [InlineData("POST", 200, "/about", null, null, SharedCacheVerdict.Method)]
    [InlineData("GET", 302, "/moved", null, null, SharedCacheVerdict.Status)]
    [InlineData("GET", 500, "/broken", null, null, SharedCacheVerdict.Status)]
    [InlineData("GET", 200, "/about", "public, max-age=60", null, SharedCacheVerdict.Shareable)]
    [InlineData("GET", 200, "/about", "private, max-age=60", null, SharedCacheVerdict.PageForbids)]
    [InlineData("GET", 200, "/form", "no-cache, no-store", null, SharedCacheVerdict.PageForbids)]
    [InlineData("GET", 200, "/about", "no-cache", null, SharedCacheVerdict.PageForbids)]
    [InlineData("GET", 200, "/about", "public, no-cache=\"Set-Cookie\"", null, SharedCacheVerdict.PageForbids)]
    [InlineData("GET", 200, "/about", "public, max-age=60, must-revalidate", null, SharedCacheVerdict.Shareable)]
    [InlineData("GET", 200, "/about", null, "session=1", SharedCacheVerdict.SetsCookie)]
    [InlineData("GET", 200, "/Admin/Contents", null, null, SharedCacheVerdict.Admin)]
    [InlineData("GET", 200, "/admin", null, null, SharedCacheVerdict.Admin)]
    [InlineData("GET", 200, "/administrators", null, null, SharedCacheVerdict.Shareable)]
    public void Verdict_from_the_method_status_and_headers(string method, int status, string path, string cacheControl, string cookie, SharedCacheVerdict verdict)
    {
        var context = Context(method, path, status);
        if (cacheControl is not null)
        {
            context.Response.Headers.CacheControl = cacheControl;
        }

        if (cookie is not null)
        {
            context.Response.Headers[HeaderNames.SetCookie] = cookie;
        }

        Assert.Equal(verdict, SharedCacheability.Decide(context, "Admin"));
    }

    [Fact]
    public void A_signed_in_users_view_is_not_shareable()
    {
        var context = Context("GET", "/about");
        context.User = new(new ClaimsIdentity([new("name", "editor")], "Cookies"));

        Assert.Equal(SharedCacheVerdict.SignedIn, SharedCacheability.Decide(context, "Admin"));
    }

    [Fact]
    public void A_page_the_admin_filters_marked_is_not_shareable_whatever_its_path()
    {
        var context = Context("GET", "/custom-dashboard");
        AdminAttribute.Apply(context);

        Assert.Equal(SharedCacheVerdict.Admin, SharedCacheability.Decide(context, "Admin"));
    }

    [Fact]
    public void A_content_preview_is_not_shareable()
    {
        var context = Context("GET", "/about");
        context.Features.Set(ContentPreviewFeature.Instance);

        Assert.Equal(SharedCacheVerdict.Preview, SharedCacheability.Decide(context, "Admin"));
    }

    [Fact]
    public void The_preview_route_of_a_content_item_is_not_shareable()
    {
        var context = Context("GET", "/Contents/ContentItems/4x2k9/Preview");
        context.Request.RouteValues = new() { ["area"] = "OrchardCore.Contents", ["controller"] = "Item", ["action"] = "Preview" };

        Assert.Equal(SharedCacheVerdict.Preview, SharedCacheability.Decide(context, "Admin"));
    }

    [Theory]
    [InlineData("/Login", "Account", "Login")]
    [InlineData("/Register", "Registration", "Register")]
    [InlineData("/ForgotPassword", "ResetPassword", "ForgotPassword")]
    public void The_users_pages_are_not_shareable(string path, string controller, string action)
    {
        var context = Context("GET", path);
        context.Request.RouteValues = new() { ["area"] = "OrchardCore.Users", ["controller"] = controller, ["action"] = action };

        Assert.Equal(SharedCacheVerdict.UserRoute, SharedCacheability.Decide(context, "Admin"));
    }

    [Fact]
    public void The_display_route_of_a_content_item_is_shareable()
    {
        var context = Context("GET", "/about");
        context.Request.RouteValues = new() { ["area"] = "OrchardCore.Contents", ["controller"] = "Item", ["action"] = "Display", ["contentItemId"] = "4x2k9" };

        Assert.Equal(SharedCacheVerdict.Shareable, SharedCacheability.Decide(context, "Admin"));
    }

    private static DefaultHttpContext Context(string method, string path, int status = 200)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        context.Response.StatusCode = status;
        return context;
    }
}
