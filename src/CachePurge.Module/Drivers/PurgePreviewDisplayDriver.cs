using CachePurge.Core;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.ViewModels;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using OrchardCore.ContentManagement;
using OrchardCore.ContentManagement.Display.ContentDisplay;
using OrchardCore.DisplayManagement.Handlers;
using OrchardCore.DisplayManagement.Views;
using OrchardCore.Entities;

namespace CachePurge.Module.Drivers;

/// <summary>
/// Shows on the content item editor what publishing the item would purge: the targets of the version being edited and
/// of the version that is live now, resolved by <see cref="ContentPurgeTargets"/> like the content handler does.
/// </summary>
public sealed class PurgePreviewDisplayDriver : ContentDisplayDriver
{
    private readonly IHttpContextAccessor _httpContextAccessor;
    private readonly IAuthorizationService _authorizationService;
    private readonly ContentPurgeTargets _targets;
    private readonly CachePurgeSettingsService _settingsService;
    private readonly CurrentCachePolicy _currentPolicy;
    private readonly IServiceProvider _serviceProvider;

    public PurgePreviewDisplayDriver(
        IHttpContextAccessor httpContextAccessor,
        IAuthorizationService authorizationService,
        ContentPurgeTargets targets,
        CachePurgeSettingsService settingsService,
        CurrentCachePolicy currentPolicy,
        IServiceProvider serviceProvider)
    {
        _httpContextAccessor = httpContextAccessor;
        _authorizationService = authorizationService;
        _targets = targets;
        _settingsService = settingsService;
        _currentPolicy = currentPolicy;
        _serviceProvider = serviceProvider;
    }

    public override async Task<IDisplayResult> EditAsync(ContentItem contentItem, BuildEditorContext context)
    {
        if (!await _authorizationService.AuthorizeAsync(_httpContextAccessor.HttpContext?.User, Permissions.ManageCachePurge))
        {
            return null;
        }

        return Initialize<PurgePreviewViewModel>("PurgePreview_Edit", model => BuildAsync(model, contentItem))
            .Location("Parts:1000");
    }

    private async ValueTask BuildAsync(PurgePreviewViewModel model, ContentItem contentItem)
    {
        model.IsStored = ContentPurgeTargets.IsStored(contentItem);

        var (settings, site) = await _settingsService.GetSettingsAsync();
        var options = await _settingsService.GetOptionsAsync();
        model.IsActive = options is not null;
        model.Hosts = _settingsService.GetSiteHosts(settings, site);
        model.Caches = [.. (options?.Endpoints ?? []).Select(e => new PurgePreviewCache(e.Name, e.Kind, e.CanPurgeTags))];

        // Publishing purges the edited version and the live one (PublishedAsync's PreviousItem), as the handler does.
        var edited = await _targets.ResolveAsync(contentItem);
        IReadOnlyList<ContentPurgeTarget> live = [];
        if (model.IsStored && !contentItem.Published)
        {
            var contentManager = _serviceProvider.GetService(typeof(IContentManager)) as IContentManager;
            live = await _targets.ResolveAsync(await contentManager.GetAsync(contentItem.ContentItemId, VersionOptions.Published));
        }

        var normalizer = _settingsService.CreateNormalizer(settings, site);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        List<PurgePreviewTarget> paths = [];
        List<PurgePreviewTarget> tags = [];
        foreach (var (target, fromLive) in edited.Select(t => (t, false)).Concat(live.Select(t => (t, true))))
        {
            if (target.Kind == PurgeTargetKind.Tag)
            {
                if (seen.Add("tag:" + target.Value))
                {
                    tags.Add(new(target.Value, target.Reason, fromLive));
                }

                continue;
            }

            // Shown as the engine will send it, or with the reason it will not.
            var normalized = normalizer.Normalize(target.Value);
            if (seen.Add(normalized.Path ?? target.Value))
            {
                paths.Add(new(normalized.Path ?? target.Value, target.Reason, fromLive, normalized.Error));
            }
        }

        model.Paths = paths;
        model.Tags = tags;

        // The lifetime the page gets, resolved as the response headers resolve it.
        var policy = _currentPolicy.For(site);
        if (policy.Settings.Enabled)
        {
            var isHomePage = edited.Any(t => t.Reason == ContentPurgeReason.HomePage);
            var path = edited.FirstOrDefault(t => t.Reason == ContentPurgeReason.Route)?.Value ?? $"/Contents/ContentItems/{contentItem.ContentItemId}";
            model.Policy = policy.Settings;
            model.Lifetime = policy.Resolve(new(StatusCodes.Status200OK, path, contentItem.ContentType, isHomePage));
        }
    }
}
