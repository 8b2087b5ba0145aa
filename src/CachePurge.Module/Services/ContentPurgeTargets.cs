using System.Text.Json.Nodes;
using CachePurge.Core;
using CachePurge.Module.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrchardCore.Autoroute.Models;
using OrchardCore.ContentManagement;
using OrchardCore.ContentManagement.Routing;
using OrchardCore.Environment.Shell;
using OrchardCore.Settings;

namespace CachePurge.Module.Services;

/// <summary>
/// What a change to one version of a content item makes stale: its route, the home page when it is the item, the
/// list that contains it, the extra URLs of its <see cref="PurgeUrlsPart"/>, and its tag, which names the tenant. The
/// content handler purges exactly this, and the editor's purge preview shows exactly this.
/// </summary>
public sealed class ContentPurgeTargets
{
    private readonly IServiceProvider _serviceProvider;
    private readonly ISiteService _siteService;
    private readonly ShellSettings _shellSettings;
    private readonly AutorouteOptions _autorouteOptions;
    private IContentManager _contentManager;

    public ContentPurgeTargets(IServiceProvider serviceProvider, ISiteService siteService, ShellSettings shellSettings, IOptions<AutorouteOptions> autorouteOptions)
    {
        _serviceProvider = serviceProvider;
        _siteService = siteService;
        _shellSettings = shellSettings;
        _autorouteOptions = autorouteOptions.Value;
    }

    /// <summary>The targets of <paramref name="contentItem"/>; none for an item that was never saved (a preview, an item being built).</summary>
    public async Task<IReadOnlyList<ContentPurgeTarget>> ResolveAsync(ContentItem contentItem)
    {
        if (!IsStored(contentItem))
        {
            return [];
        }

        List<ContentPurgeTarget> targets = [new(PurgeTargetKind.Tag, ContentTags.ForContentItem(_shellSettings.Name, contentItem.ContentItemId), ContentPurgeReason.ContentTag)];

        contentItem.TryGet<AutoroutePart>(out var route);
        AddPath(targets, route?.Path, ContentPurgeReason.Route);

        if (route?.SetHomepage == true || await IsHomePageAsync(contentItem.ContentItemId))
        {
            targets.Add(new(PurgeTargetKind.Path, "/", ContentPurgeReason.HomePage));
        }

        // Read as JSON: the Lists module need not be enabled, and its part type is not needed for one id.
        var listContentItemId = ((JsonObject)contentItem.Content)["ContainedPart"]?["ListContentItemId"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(listContentItemId))
        {
            // Resolved late: the content manager depends on the handlers, which depend on this.
            _contentManager ??= _serviceProvider.GetRequiredService<IContentManager>();
            var list = await _contentManager.GetAsync(listContentItemId, VersionOptions.Published);
            if (list is not null && list.TryGet<AutoroutePart>(out var listRoute))
            {
                AddPath(targets, listRoute.Path, ContentPurgeReason.Container);
            }
        }

        contentItem.TryGet<PurgeUrlsPart>(out var purgeUrls);
        foreach (var url in purgeUrls?.Urls ?? [])
        {
            if (!string.IsNullOrWhiteSpace(url))
            {
                targets.Add(new(PurgeTargetKind.Path, url.Trim(), ContentPurgeReason.ExtraUrl));
            }
        }

        return targets;
    }

    /// <summary>Whether the item was saved, so that a cache can hold a page of it.</summary>
    public static bool IsStored(ContentItem contentItem) =>
        contentItem is not null && contentItem.Id != 0 && !string.IsNullOrEmpty(contentItem.ContentItemId);

    private static void AddPath(List<ContentPurgeTarget> targets, string path, ContentPurgeReason reason)
    {
        if (!string.IsNullOrWhiteSpace(path))
        {
            targets.Add(new(PurgeTargetKind.Path, "/" + path.Trim().TrimStart('/'), reason));
        }
    }

    private async Task<bool> IsHomePageAsync(string contentItemId)
    {
        var site = await _siteService.GetSiteSettingsAsync();
        var key = string.IsNullOrEmpty(_autorouteOptions.ContentItemIdKey) ? "contentItemId" : _autorouteOptions.ContentItemIdKey;
        return site.HomeRoute is { } homeRoute
            && homeRoute.TryGetValue(key, out var value)
            && string.Equals(value?.ToString(), contentItemId, StringComparison.OrdinalIgnoreCase);
    }
}
