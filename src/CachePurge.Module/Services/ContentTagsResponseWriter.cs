using CachePurge.Module.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OrchardCore.Admin;
using OrchardCore.Environment.Shell;
using OrchardCore.Settings;

namespace CachePurge.Module.Services;

/// <summary>Writes the tags of the content items a response displays into its tag header, if the response may be cached.</summary>
public sealed class ContentTagsResponseWriter
{
    private readonly DisplayedContentItems _displayed;
    private readonly ISiteService _siteService;
    private readonly ShellSettings _shellSettings;
    private readonly AdminOptions _adminOptions;
    private readonly ContentTagMetrics _metrics;

    public ContentTagsResponseWriter(
        DisplayedContentItems displayed,
        ISiteService siteService,
        ShellSettings shellSettings,
        IOptions<AdminOptions> adminOptions,
        ContentTagMetrics metrics)
    {
        _displayed = displayed;
        _siteService = siteService;
        _shellSettings = shellSettings;
        _adminOptions = adminOptions.Value;
        _metrics = metrics;
    }

    private CachePurgeSettings _settings;

    /// <summary>Reads the settings; false when no tags are to be sent.</summary>
    public async Task<bool> PrepareAsync()
    {
        _settings = await _siteService.GetSettingsAsync<CachePurgeSettings>();
        return _settings.Enabled && !string.IsNullOrWhiteSpace(_settings.ResponseTagHeader);
    }

    /// <summary>Writes the header if the response may be cached; called as its headers are about to be sent.</summary>
    public void Write(HttpContext context)
    {
        if (_settings is null || !IsCacheable(context, _adminOptions.AdminUrlPrefix))
        {
            return;
        }

        var (value, overflowed) = ContentTagHeader.Build(
            _shellSettings.Name,
            _displayed.Ids,
            string.IsNullOrEmpty(_settings.ResponseTagSeparator) ? " " : _settings.ResponseTagSeparator,
            _settings.ResponseTagHeaderLimit);
        if (overflowed)
        {
            _metrics.Overflowed(_shellSettings.Name);
        }

        context.Response.Headers[_settings.ResponseTagHeader.Trim()] = value;
    }

    /// <summary>
    /// Whether a shared cache may keep the response: a 200 to an anonymous GET or HEAD of a front-end page that sets no
    /// cookie and does not forbid storing. Anything else is personal or transient, and tagging it would only bloat it.
    /// </summary>
    internal static bool IsCacheable(HttpContext context, string adminUrlPrefix)
    {
        var request = context.Request;
        var response = context.Response;
        if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            || response.StatusCode != StatusCodes.Status200OK
            || context.User?.Identity?.IsAuthenticated == true
            || response.Headers.ContainsKey(HeaderNames.SetCookie))
        {
            return false;
        }

        // The attribute is set by the admin filters; the prefix also covers admin pages that are not MVC actions.
        if (AdminAttribute.IsApplied(context)
            || !string.IsNullOrEmpty(adminUrlPrefix) && request.Path.StartsWithSegments("/" + adminUrlPrefix.Trim('/'), StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var cacheControl = response.Headers.CacheControl.ToString();
        return !(cacheControl.Contains("private", StringComparison.OrdinalIgnoreCase)
            || cacheControl.Contains("no-store", StringComparison.OrdinalIgnoreCase));
    }
}
