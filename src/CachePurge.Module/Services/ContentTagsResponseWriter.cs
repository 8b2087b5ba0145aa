using CachePurge.Module.Models;
using Microsoft.AspNetCore.Http;
using OrchardCore.Environment.Shell;
using OrchardCore.Settings;

namespace CachePurge.Module.Services;

/// <summary>Writes the tags of the content items a response displays into its tag header, if the response may be cached.</summary>
public sealed class ContentTagsResponseWriter
{
    private readonly DisplayedContentItems _displayed;
    private readonly ISiteService _siteService;
    private readonly ShellSettings _shellSettings;
    private readonly ContentTagMetrics _metrics;

    public ContentTagsResponseWriter(
        DisplayedContentItems displayed,
        ISiteService siteService,
        ShellSettings shellSettings,
        ContentTagMetrics metrics)
    {
        _displayed = displayed;
        _siteService = siteService;
        _shellSettings = shellSettings;
        _metrics = metrics;
    }

    private CachePurgeSettings _settings;

    /// <summary>Reads the settings; false when no tags are to be sent.</summary>
    public async Task<bool> PrepareAsync()
    {
        _settings = await _siteService.GetSettingsAsync<CachePurgeSettings>();
        return _settings.Enabled && !string.IsNullOrWhiteSpace(_settings.ResponseTagHeader);
    }

    /// <summary>
    /// Writes the header if a shared cache may keep the response (<see cref="SharedCacheability"/>); called as its
    /// headers are about to be sent. Anything else is personal or transient, and tagging it would only bloat it.
    /// </summary>
    public void Write(HttpContext context, SharedCacheVerdict verdict)
    {
        if (_settings is null || verdict != SharedCacheVerdict.Shareable)
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
}
