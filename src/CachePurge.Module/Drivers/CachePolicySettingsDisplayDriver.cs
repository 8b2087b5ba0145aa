using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.ViewModels;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using OrchardCore.ContentManagement.Metadata;
using OrchardCore.DisplayManagement.Entities;
using OrchardCore.DisplayManagement.Handlers;
using OrchardCore.DisplayManagement.Views;
using OrchardCore.Modules;
using OrchardCore.Mvc.ModelBinding;
using OrchardCore.Settings;

namespace CachePurge.Module.Drivers;

/// <summary>
/// Settings → Cache Policy. No service keeps these settings (each response reads them), so saving needs no tenant
/// release: the next page is sent with the new lifetimes.
/// </summary>
public sealed class CachePolicySettingsDisplayDriver : SiteDisplayDriver<CachePolicySettings>
{
    public const string GroupId = "CachePolicy";

    private readonly IHttpContextAccessor _httpContextAccessor;
    private readonly IAuthorizationService _authorizationService;
    private readonly IContentDefinitionManager _contentDefinitionManager;
    private readonly CachePolicySettingsValidator _validator;
    private readonly IEnumerable<ICachePurgeEventHandler> _handlers;
    private readonly ILogger _logger;

    internal readonly IStringLocalizer S;

    public CachePolicySettingsDisplayDriver(
        IHttpContextAccessor httpContextAccessor,
        IAuthorizationService authorizationService,
        IContentDefinitionManager contentDefinitionManager,
        CachePolicySettingsValidator validator,
        IEnumerable<ICachePurgeEventHandler> handlers,
        ILogger<CachePolicySettingsDisplayDriver> logger,
        IStringLocalizer<CachePolicySettingsDisplayDriver> stringLocalizer)
    {
        _httpContextAccessor = httpContextAccessor;
        _authorizationService = authorizationService;
        _contentDefinitionManager = contentDefinitionManager;
        _validator = validator;
        _handlers = handlers;
        _logger = logger;
        S = stringLocalizer;
    }

    protected override string SettingsGroupId => GroupId;

    public override async Task<IDisplayResult> EditAsync(ISite site, CachePolicySettings settings, BuildEditorContext context)
    {
        if (!await _authorizationService.AuthorizeAsync(_httpContextAccessor.HttpContext?.User, Permissions.ManageCachePurge))
        {
            return null;
        }

        return Initialize<CachePolicySettingsViewModel>("CachePolicySettings_Edit", async model =>
        {
            model.Enabled = settings.Enabled;
            model.DefaultSeconds = settings.DefaultSeconds;
            model.HomePageSeconds = settings.HomePageSeconds;
            model.NotFoundSeconds = settings.NotFoundSeconds;
            model.RedirectSeconds = settings.RedirectSeconds;
            model.BrowserSeconds = settings.BrowserSeconds;
            model.StaleWhileRevalidateSeconds = settings.StaleWhileRevalidateSeconds;
            model.StaleIfErrorSeconds = settings.StaleIfErrorSeconds;
            model.SurrogateControl = settings.SurrogateControl;
            model.CdnCacheControl = settings.CdnCacheControl;

            // Every type of the site, so that a rule is added by filling in a number; then rules of types it lost.
            var types = (await _contentDefinitionManager.ListTypeDefinitionsAsync()).OrderBy(t => t.DisplayName, StringComparer.CurrentCultureIgnoreCase).ToList();
            model.ContentTypes =
            [
                .. types.Select(t => new CachePolicyContentTypeViewModel
                {
                    ContentType = t.Name,
                    DisplayName = t.DisplayName,
                    Exists = true,
                    Seconds = settings.ContentTypes.FirstOrDefault(r => string.Equals(r.ContentType, t.Name, StringComparison.OrdinalIgnoreCase))?.Seconds,
                }),
                .. settings.ContentTypes
                    .Where(r => !types.Any(t => string.Equals(t.Name, r.ContentType, StringComparison.OrdinalIgnoreCase)))
                    .Select(r => new CachePolicyContentTypeViewModel { ContentType = r.ContentType, DisplayName = r.ContentType, Seconds = r.Seconds }),
            ];

            // One empty row more than stored: that is how a rule is added without client-side script.
            model.Paths = [.. settings.Paths.Select(r => new CachePolicyPathViewModel { Match = r.Match, Seconds = r.Seconds }), new()];
        }).Location("Content:5")
        .OnGroup(GroupId);
    }

    public override async Task<IDisplayResult> UpdateAsync(ISite site, CachePolicySettings settings, UpdateEditorContext context)
    {
        if (!await _authorizationService.AuthorizeAsync(_httpContextAccessor.HttpContext?.User, Permissions.ManageCachePurge))
        {
            return null;
        }

        var model = new CachePolicySettingsViewModel();
        await context.Updater.TryUpdateModelAsync(model, Prefix);

        var (candidate, typeRows, pathRows, errors) = FromViewModel(model, S);
        errors.AddRange(_validator.Validate(candidate).Select(e => (e.Field, e.Message)));
        foreach (var (field, message) in errors)
        {
            var formField = ToFormField(field, typeRows, pathRows);
            context.Updater.ModelState.AddModelError(Prefix, formField, S["{0}: {1}", formField, message]);
        }

        if (errors.Count == 0)
        {
            await _handlers.InvokeAsync((handler, group) => handler.SettingsUpdatedAsync(group), GroupId, _logger);
        }

        // Copied even when invalid, so that the editor shows what was typed; Orchard saves only a valid form.
        settings.Enabled = candidate.Enabled;
        settings.DefaultSeconds = candidate.DefaultSeconds;
        settings.HomePageSeconds = candidate.HomePageSeconds;
        settings.NotFoundSeconds = candidate.NotFoundSeconds;
        settings.RedirectSeconds = candidate.RedirectSeconds;
        settings.BrowserSeconds = candidate.BrowserSeconds;
        settings.StaleWhileRevalidateSeconds = candidate.StaleWhileRevalidateSeconds;
        settings.StaleIfErrorSeconds = candidate.StaleIfErrorSeconds;
        settings.SurrogateControl = candidate.SurrogateControl;
        settings.CdnCacheControl = candidate.CdnCacheControl;
        settings.ContentTypes = candidate.ContentTypes;
        settings.Paths = candidate.Paths;

        return await EditAsync(site, settings, context);
    }

    /// <summary>The settings the form describes: content types without a lifetime and empty path rows are dropped.</summary>
    internal static (CachePolicySettings Settings, List<int> TypeRows, List<int> PathRows, List<(string Field, string Message)> Errors) FromViewModel(
        CachePolicySettingsViewModel model, IStringLocalizer S)
    {
        var settings = new CachePolicySettings
        {
            Enabled = model.Enabled,
            DefaultSeconds = model.DefaultSeconds,
            HomePageSeconds = model.HomePageSeconds,
            NotFoundSeconds = model.NotFoundSeconds,
            RedirectSeconds = model.RedirectSeconds,
            BrowserSeconds = model.BrowserSeconds,
            StaleWhileRevalidateSeconds = model.StaleWhileRevalidateSeconds,
            StaleIfErrorSeconds = model.StaleIfErrorSeconds,
            SurrogateControl = model.SurrogateControl,
            CdnCacheControl = model.CdnCacheControl,
        };

        List<int> typeRows = [];
        for (var row = 0; row < model.ContentTypes.Count; row++)
        {
            if (model.ContentTypes[row].Seconds is { } seconds)
            {
                typeRows.Add(row);
                settings.ContentTypes.Add(new() { ContentType = model.ContentTypes[row].ContentType?.Trim() ?? "", Seconds = seconds });
            }
        }

        List<int> pathRows = [];
        List<(string, string)> errors = [];
        for (var row = 0; row < model.Paths.Count; row++)
        {
            var path = model.Paths[row];
            if (string.IsNullOrWhiteSpace(path.Match) && path.Seconds is null)
            {
                continue;
            }

            if (path.Seconds is null)
            {
                errors.Add(($"{nameof(CachePolicySettings.Paths)}[{settings.Paths.Count}].{nameof(CachePolicyPathRule.Seconds)}", S["enter a lifetime in seconds."]));
            }

            pathRows.Add(row);
            settings.Paths.Add(new() { Match = path.Match?.Trim() ?? "", Seconds = path.Seconds ?? 0 });
        }

        return (settings, typeRows, pathRows, errors);
    }

    /// <summary>Maps a settings field (<c>Paths[0].Match</c>) to the form row it came from.</summary>
    internal static string ToFormField(string field, List<int> typeRows, List<int> pathRows)
    {
        foreach (var (list, rows) in new[] { (nameof(CachePolicySettings.ContentTypes), typeRows), (nameof(CachePolicySettings.Paths), pathRows) })
        {
            if (field.StartsWith(list + "[", StringComparison.Ordinal))
            {
                var end = field.IndexOf(']');
                var start = list.Length + 1;
                return int.TryParse(field.AsSpan(start, end - start), out var index) && index < rows.Count
                    ? $"{list}[{rows[index]}]{field[(end + 1)..]}"
                    : field;
            }
        }

        return field;
    }
}
