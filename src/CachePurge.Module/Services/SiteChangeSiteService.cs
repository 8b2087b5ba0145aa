using System.Text.Json.Nodes;
using CachePurge.Module.Models;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Environment.Shell.Scope;
using OrchardCore.Settings;

namespace CachePurge.Module.Services;

/// <summary>
/// Wraps Orchard's <see cref="ISiteService"/>, through which every change of the site settings is saved: the settings
/// pages, the "Settings" recipe step, the theme (<c>ISiteThemeService</c>) and the home page. It keeps the settings as
/// they were loaded for update in the request, and on update reports what changed (<see cref="SiteSettingsChanges"/>).
/// </summary>
public sealed class SiteChangeSiteService : ISiteService
{
    // Per request: the settings as they were when first loaded for update.
    private static readonly object _loadedKey = new();

    private readonly ISiteService _inner;

    public SiteChangeSiteService(ISiteService inner)
    {
        _inner = inner;
    }

    public Task<ISite> GetSiteSettingsAsync() => _inner.GetSiteSettingsAsync();

    public async Task<ISite> LoadSiteSettingsAsync()
    {
        var site = await _inner.LoadSiteSettingsAsync();

        // A second load in the same request may return the object already changed: the first one is the stored state.
        if (ShellScope.Current is not null && ShellScope.Get<JsonObject>(_loadedKey) is null)
        {
            ShellScope.Set(_loadedKey, SiteSettingsChanges.Snapshot(site));
        }

        return site;
    }

    public async Task UpdateSiteSettingsAsync(ISite site)
    {
        var loaded = ShellScope.Current is null ? null : ShellScope.Get<JsonObject>(_loadedKey);
        await _inner.UpdateSiteSettingsAsync(site);

        var collector = ShellScope.Services?.GetService<SiteChangeCollector>();
        if (collector is null)
        {
            return;
        }

        // Settings saved without being loaded here first cannot be compared: they count as changed.
        var kinds = loaded is null ? [SiteChangeKind.SiteSettings] : SiteSettingsChanges.Compare(loaded, SiteSettingsChanges.Snapshot(site));
        foreach (var kind in kinds)
        {
            collector.Add(kind);
        }
    }
}
