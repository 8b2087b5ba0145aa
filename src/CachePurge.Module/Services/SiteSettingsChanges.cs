using System.Text.Json;
using System.Text.Json.Nodes;
using CachePurge.Module.Models;
using OrchardCore.Settings;

namespace CachePurge.Module.Services;

/// <summary>
/// Which kinds of site-wide change an update of the site settings makes, found by comparing the settings as loaded with
/// the settings as saved. Every setting counts as a site setting, except the theme (a kind of its own) and the sections
/// visitors never see: the admin theme and this module's own settings, which release the tenant instead.
/// </summary>
internal static class SiteSettingsChanges
{
    /// <summary>Where <c>ISiteThemeService</c> keeps the front-end theme.</summary>
    public const string ThemeProperty = "CurrentThemeName";

    // Sections of ISite.Properties that change no page: the admin theme, this module's settings and its cache policy.
    private static readonly HashSet<string> _unseenProperties = new(StringComparer.Ordinal)
    {
        "CurrentAdminThemeName",
        nameof(CachePurgeSettings),
        nameof(CachePolicySettings),
    };

    // The document's own bookkeeping, which every save changes.
    private static readonly HashSet<string> _bookkeeping = new(StringComparer.Ordinal) { "Id", "Identifier", "IsReadOnly" };

    /// <summary>The settings as they are now, detached from <paramref name="site"/>.</summary>
    public static JsonObject Snapshot(ISite site) => JsonSerializer.SerializeToNode(site, site.GetType(), JOptions.Default)!.AsObject();

    public static IEnumerable<SiteChangeKind> Compare(JsonObject before, JsonObject after)
    {
        HashSet<SiteChangeKind> kinds = [];
        foreach (var name in Names(before, after).Where(n => !_bookkeeping.Contains(n) && n != nameof(ISite.Properties)))
        {
            if (!JsonNode.DeepEquals(before[name], after[name]))
            {
                kinds.Add(SiteChangeKind.SiteSettings);
            }
        }

        var beforeProperties = before[nameof(ISite.Properties)] as JsonObject ?? [];
        var afterProperties = after[nameof(ISite.Properties)] as JsonObject ?? [];
        foreach (var name in Names(beforeProperties, afterProperties).Where(n => !_unseenProperties.Contains(n)))
        {
            if (!JsonNode.DeepEquals(beforeProperties[name], afterProperties[name]))
            {
                kinds.Add(name == ThemeProperty ? SiteChangeKind.Theme : SiteChangeKind.SiteSettings);
            }
        }

        return kinds;
    }

    private static IEnumerable<string> Names(JsonObject before, JsonObject after) =>
        before.Select(p => p.Key).Union(after.Select(p => p.Key), StringComparer.Ordinal);
}
