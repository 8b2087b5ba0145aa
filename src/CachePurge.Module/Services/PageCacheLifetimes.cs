using CachePurge.Module.Models;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrchardCore.ContentManagement;
using OrchardCore.ContentManagement.Routing;
using OrchardCore.Entities;
using OrchardCore.Settings;

namespace CachePurge.Module.Services;

/// <summary>
/// The lifetime the cache policy gives the pages at purged paths, resolved as the response headers resolve it: the
/// item an Autoroute path displays, the home page, or the path rules and the default for a path no item has.
/// </summary>
public sealed class PageCacheLifetimes
{
    private readonly ISiteService _siteService;
    private readonly CachePurgeSettingsService _settingsService;
    private readonly CurrentCachePolicy _currentPolicy;
    private readonly AutorouteOptions _autorouteOptions;
    private readonly IServiceProvider _serviceProvider;

    public PageCacheLifetimes(
        ISiteService siteService,
        CachePurgeSettingsService settingsService,
        CurrentCachePolicy currentPolicy,
        IOptions<AutorouteOptions> autorouteOptions,
        IServiceProvider serviceProvider)
    {
        _siteService = siteService;
        _settingsService = settingsService;
        _currentPolicy = currentPolicy;
        _autorouteOptions = autorouteOptions.Value;
        _serviceProvider = serviceProvider;
    }

    /// <summary>
    /// The lifetime of each distinct page among <paramref name="targets"/>, keyed by the target as the engine sent it
    /// (with the tenant's prefix); tags and "everything" are left out. Null when the cache policy is off.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, CacheLifetime>> ResolveAsync(IEnumerable<string> targets)
    {
        var site = await _siteService.GetSiteSettingsAsync();
        var policy = _currentPolicy.For(site);
        if (!policy.Settings.Enabled)
        {
            return null;
        }

        // Only the Autoroute feature registers its entries; without it no path names an item.
        var autorouteEntries = _serviceProvider.GetService<IAutorouteEntries>();

        // The engine sends paths with the tenant's prefix; the policy and Autoroute know them without it.
        var pathBase = _settingsService.PathBase;
        var pages = new Dictionary<string, (string Path, string ContentItemId)>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            if (string.IsNullOrEmpty(target) || !target.StartsWith('/') || pages.ContainsKey(target))
            {
                continue;
            }

            var path = Uri.UnescapeDataString(target.Split('?', 2)[0]);
            if (pathBase.Length > 0 && new PathString(path).StartsWithSegments(pathBase, StringComparison.OrdinalIgnoreCase, out var remaining))
            {
                path = remaining.HasValue ? remaining.Value : "/";
            }

            var (found, entry) = path == "/" || autorouteEntries is null ? (false, null) : await autorouteEntries.TryGetEntryByPathAsync(path);
            pages[target] = (path, found ? entry.ContentItemId : null);
        }

        // "/" shows the home route's item; its type applies there when the home page has no lifetime of its own.
        var homeContentItemId = ContentRoute.DisplayedContentItemId(site.HomeRoute, _autorouteOptions);
        var ids = pages.Values.Select(p => p.Path == "/" ? homeContentItemId : p.ContentItemId).Where(id => id is not null).Distinct().ToList();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        if (ids.Count > 0)
        {
            var contentManager = _serviceProvider.GetRequiredService<IContentManager>();
            foreach (var item in await contentManager.GetAsync(ids, VersionOptions.Published))
            {
                types[item.ContentItemId] = item.ContentType;
            }
        }

        return pages.ToDictionary(
            p => p.Key,
            p =>
            {
                var id = p.Value.Path == "/" ? homeContentItemId : p.Value.ContentItemId;
                var isHomePage = p.Value.Path == "/" || id is not null && id == homeContentItemId;
                return policy.Resolve(new(StatusCodes.Status200OK, p.Value.Path, id is null ? null : types.GetValueOrDefault(id), isHomePage));
            },
            StringComparer.Ordinal);
    }
}
