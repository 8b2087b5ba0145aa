using CachePurge.Module.Models;
using Microsoft.AspNetCore.Http;
using OrchardCore.Environment.Shell;
using OrchardCore.Settings;

namespace CachePurge.Module.Services;

/// <summary>
/// Writes the tags of the content items a response displays into the tag header of each configured kind of cache
/// (<see cref="ResponseTagFormats"/>), if the response may be cached.
/// </summary>
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

    private IReadOnlyList<ResponseTagFormat> _formats;

    /// <summary>Reads the settings; false when no tags are to be sent.</summary>
    public async Task<bool> PrepareAsync()
    {
        var settings = await _siteService.GetSettingsAsync<CachePurgeSettings>();
        _formats = settings.Enabled ? ResponseTagFormats.For(settings) : [];
        return _formats.Count > 0;
    }

    /// <summary>
    /// Writes the header if a shared cache may keep the response (<see cref="SharedCacheability"/>); called as its
    /// headers are about to be sent. Anything else is personal or transient, and tagging it would only bloat it.
    /// </summary>
    public void Write(HttpContext context, SharedCacheVerdict verdict)
    {
        if (_formats is null || verdict != SharedCacheVerdict.Shareable)
        {
            return;
        }

        // Each header falls back to the site tag on its own: a short limit (Bunny's 1 KB) costs the others nothing.
        var overflowed = false;
        foreach (var format in _formats)
        {
            var (value, tooLong) = ContentTagHeader.Build(_shellSettings.Name, _displayed.Ids, format.Separator, format.HeaderLimit, format.TagLimit, format.MaxTags);
            overflowed |= tooLong;
            context.Response.Headers[format.Header] = value;
        }

        if (overflowed)
        {
            _metrics.Overflowed(_shellSettings.Name);
        }
    }
}
