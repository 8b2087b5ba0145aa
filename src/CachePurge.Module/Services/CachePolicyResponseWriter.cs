using CachePurge.Module.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OrchardCore.ContentManagement.Routing;
using OrchardCore.Entities;
using OrchardCore.Settings;

namespace CachePurge.Module.Services;

/// <summary>Writes the cache policy's headers into a response, from the rule that applies to the page.</summary>
public sealed class CachePolicyResponseWriter
{
    private readonly DisplayedContentItems _displayed;
    private readonly ISiteService _siteService;
    private readonly CurrentCachePolicy _currentPolicy;
    private readonly AutorouteOptions _autorouteOptions;

    private CachePolicy _policy;
    private string _homeContentItemId;

    public CachePolicyResponseWriter(
        DisplayedContentItems displayed,
        ISiteService siteService,
        CurrentCachePolicy currentPolicy,
        IOptions<AutorouteOptions> autorouteOptions)
    {
        _displayed = displayed;
        _siteService = siteService;
        _currentPolicy = currentPolicy;
        _autorouteOptions = autorouteOptions.Value;
    }

    /// <summary>
    /// Reads the policy; false when it is off. It follows Orchard's cached site settings, so that a change applies
    /// to the next page.
    /// </summary>
    public async Task<bool> PrepareAsync()
    {
        var site = await _siteService.GetSiteSettingsAsync();
        var policy = _currentPolicy.For(site);
        if (!policy.Settings.Enabled)
        {
            return false;
        }

        _policy = policy;
        _homeContentItemId = ContentRoute.DisplayedContentItemId(site.HomeRoute, _autorouteOptions);
        return true;
    }

    /// <summary>
    /// Sets the headers as the response's headers are about to be sent. A response that already has caching headers
    /// keeps them: the page (a form, a module) chose. A personal one is marked so that no shared cache keeps it; one
    /// that is not a 200, 301 or 404 to a GET or HEAD is left as it is. Returns the lifetime given, or null.
    /// </summary>
    public CacheLifetime Write(HttpContext context, SharedCacheVerdict verdict)
    {
        var headers = context.Response.Headers;
        if (_policy is null || headers.ContainsKey(HeaderNames.CacheControl) || headers.ContainsKey(HeaderNames.Expires))
        {
            return null;
        }

        if (SharedCacheability.IsPersonal(verdict))
        {
            headers.CacheControl = CachePolicyHeaders.NotShared;
            return null;
        }

        if (verdict != SharedCacheVerdict.Shareable)
        {
            return null;
        }

        var lifetime = _policy.Resolve(Describe(context));
        CachePolicyHeaders.Apply(headers, _policy.Settings, lifetime.SharedSeconds);
        return lifetime;
    }

    private CachePolicyRequest Describe(HttpContext context)
    {
        var path = context.Request.Path.HasValue ? context.Request.Path.Value : "/";
        var contentItemId = ContentRoute.DisplayedContentItemId(context.Request.RouteValues, _autorouteOptions);
        var isHomePage = path == "/" || contentItemId is not null && contentItemId == _homeContentItemId;
        return new(context.Response.StatusCode, path, _displayed.ContentTypeOf(contentItemId), isHomePage);
    }
}
