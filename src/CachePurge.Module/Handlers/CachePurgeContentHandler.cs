using System.Text.Json.Nodes;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrchardCore.Autoroute.Models;
using OrchardCore.ContentManagement;
using OrchardCore.ContentManagement.Handlers;
using OrchardCore.ContentManagement.Routing;
using OrchardCore.Settings;

namespace CachePurge.Module.Handlers;

/// <summary>
/// Collects the pages a change makes stale: the item's route (and its old route after a slug change), the
/// home page when it is the item, the list that contains it, and the extra URLs of its <see cref="PurgeUrlsPart"/>.
/// Nothing is sent from here; the collector sends after the request's changes are saved.
/// </summary>
public sealed class CachePurgeContentHandler : ContentHandlerBase
{
    /// <summary>The tag pages of one content item carry, for caches that purge by tag.</summary>
    public const string TagPrefix = "ci-";

    private readonly IServiceProvider _serviceProvider;
    private readonly PurgeUrlCollector _collector;
    private readonly ISiteService _siteService;
    private readonly AutorouteOptions _autorouteOptions;
    private IContentManager _contentManager;

    public CachePurgeContentHandler(
        IServiceProvider serviceProvider,
        PurgeUrlCollector collector,
        ISiteService siteService,
        IOptions<AutorouteOptions> autorouteOptions)
    {
        _serviceProvider = serviceProvider;
        _collector = collector;
        _siteService = siteService;
        _autorouteOptions = autorouteOptions.Value;
    }

    public override async Task PublishedAsync(PublishContentContext context)
    {
        await CollectAsync(context.ContentItem);

        // The version that was live until now: after a slug change its old URL must leave the caches too.
        await CollectAsync(context.PreviousItem);
    }

    // The version that was live is the one in the caches, whatever the latest draft says.
    public override Task UnpublishedAsync(PublishContentContext context) => CollectAsync(context.PreviousItem ?? context.ContentItem);

    public override async Task RemovingAsync(RemoveContentContext context)
    {
        // Discarding a draft of a published item leaves the live page as it is.
        if (!context.NoActiveVersionLeft || !IsStored(context.ContentItem) || context.ContentItem.Published)
        {
            return;
        }

        // Once removed, the published version cannot be queried any more; its route may differ from this version's.
        _contentManager ??= _serviceProvider.GetRequiredService<IContentManager>();
        await CollectAsync(await _contentManager.GetAsync(context.ContentItem.ContentItemId, VersionOptions.Published));
    }

    public override Task RemovedAsync(RemoveContentContext context) =>
        context.NoActiveVersionLeft ? CollectAsync(context.ContentItem) : Task.CompletedTask;

    private async Task CollectAsync(ContentItem contentItem)
    {
        // Previews and items being built were never saved, so no cache can hold them.
        if (!IsStored(contentItem))
        {
            return;
        }

        _collector.AddTag(TagPrefix + contentItem.ContentItemId);

        var route = contentItem.As<AutoroutePart>();
        AddPath(route?.Path);

        if (route?.SetHomepage == true || await IsHomePageAsync(contentItem.ContentItemId))
        {
            _collector.AddUrl("/");
        }

        // Read as JSON: the Lists module need not be enabled, and its part type is not needed for one id.
        var listContentItemId = ((JsonObject)contentItem.Content)["ContainedPart"]?["ListContentItemId"]?.GetValue<string>();
        if (!string.IsNullOrEmpty(listContentItemId))
        {
            _contentManager ??= _serviceProvider.GetRequiredService<IContentManager>();
            var list = await _contentManager.GetAsync(listContentItemId, VersionOptions.Published);
            AddPath(list?.As<AutoroutePart>()?.Path);
        }

        foreach (var url in contentItem.As<PurgeUrlsPart>()?.Urls ?? [])
        {
            _collector.AddUrl(url);
        }
    }

    private void AddPath(string path)
    {
        if (!string.IsNullOrWhiteSpace(path))
        {
            _collector.AddUrl("/" + path.Trim().TrimStart('/'));
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

    private static bool IsStored(ContentItem contentItem) =>
        contentItem is not null && contentItem.Id != 0 && !string.IsNullOrEmpty(contentItem.ContentItemId);
}
