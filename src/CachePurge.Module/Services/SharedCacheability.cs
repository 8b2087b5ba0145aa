using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using OrchardCore.Admin;
using OrchardCore.ContentPreview;

namespace CachePurge.Module.Services;

/// <summary>
/// The one place that decides whether a shared cache may keep a response. The content tags and the cache policy both
/// ask here, so that a page carries tags exactly when the policy lets caches keep it.
/// </summary>
public static class SharedCacheability
{
    // The Users module's pages (log in, log off, registration, passwords, two-factor) are one visitor's own.
    private const string UsersArea = "OrchardCore.Users";

    private const string ContentsArea = "OrchardCore.Contents";

    /// <summary>
    /// Decides from the request and the response as it is about to be sent. The checks run in the order of
    /// <see cref="SharedCacheVerdict"/>'s members, and the first that fails is the verdict.
    /// </summary>
    public static SharedCacheVerdict Decide(HttpContext context, string adminUrlPrefix)
    {
        var request = context.Request;
        var response = context.Response;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)))
        {
            return SharedCacheVerdict.Method;
        }

        if (response.StatusCode is not (StatusCodes.Status200OK or StatusCodes.Status301MovedPermanently or StatusCodes.Status404NotFound))
        {
            return SharedCacheVerdict.Status;
        }

        // ASP.NET Core's antiforgery sets "no-cache, no-store" on every page with a token, so a form is caught here.
        if (ForbidsSharing(response.Headers.CacheControl.ToString()))
        {
            return SharedCacheVerdict.PageForbids;
        }

        if (response.Headers.ContainsKey(HeaderNames.SetCookie))
        {
            return SharedCacheVerdict.SetsCookie;
        }

        if (context.User?.Identity?.IsAuthenticated == true)
        {
            return SharedCacheVerdict.SignedIn;
        }

        // The attribute is set by the admin filters; the prefix also covers admin pages that are not MVC actions.
        if (AdminAttribute.IsApplied(context)
            || !string.IsNullOrEmpty(adminUrlPrefix) && request.Path.StartsWithSegments("/" + adminUrlPrefix.Trim('/'), StringComparison.OrdinalIgnoreCase))
        {
            return SharedCacheVerdict.Admin;
        }

        if (context.Features.Get<ContentPreviewFeature>()?.Previewing == true
            || IsRoute(context, ContentsArea) && string.Equals(RouteValue(context, "action"), "Preview", StringComparison.OrdinalIgnoreCase))
        {
            return SharedCacheVerdict.Preview;
        }

        if (IsRoute(context, UsersArea))
        {
            return SharedCacheVerdict.UserRoute;
        }

        return SharedCacheVerdict.Shareable;
    }

    /// <summary>Whether the verdict is about one visitor or one editor, rather than about the kind of answer.</summary>
    public static bool IsPersonal(SharedCacheVerdict verdict) =>
        verdict is SharedCacheVerdict.SetsCookie or SharedCacheVerdict.SignedIn or SharedCacheVerdict.Admin
            or SharedCacheVerdict.Preview or SharedCacheVerdict.UserRoute;

    /// <summary>Whether a <c>Cache-Control</c> value keeps shared caches from keeping the response as it is.</summary>
    public static bool ForbidsSharing(string cacheControl) =>
        !string.IsNullOrEmpty(cacheControl)
        && (HasDirective(cacheControl, "private") || HasDirective(cacheControl, "no-store") || HasDirective(cacheControl, "no-cache"));

    private static bool HasDirective(string cacheControl, string directive)
    {
        foreach (var part in cacheControl.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            // "private" and "no-cache" may carry a list of fields ("no-cache=Set-Cookie"); either way they restrict.
            var name = part.Split('=', 2)[0].Trim();
            if (string.Equals(name, directive, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsRoute(HttpContext context, string area) =>
        string.Equals(RouteValue(context, "area"), area, StringComparison.OrdinalIgnoreCase);

    private static string RouteValue(HttpContext context, string key) =>
        context.Request.RouteValues.TryGetValue(key, out var value) ? value?.ToString() : null;
}
