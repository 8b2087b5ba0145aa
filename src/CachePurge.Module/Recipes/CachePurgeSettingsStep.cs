using System.Text.Json;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using Microsoft.Extensions.Localization;
using OrchardCore.Entities;
using OrchardCore.Environment.Shell;
using OrchardCore.Recipes.Models;
using OrchardCore.Recipes.Services;
using OrchardCore.Settings;

namespace CachePurge.Module.Recipes;

/// <summary>
/// The "CachePurgeSettings" step sets the tenant's cache purge settings. It checks them exactly like the settings
/// page does and, on bad input, fails the recipe naming the field and the reason, and writes nothing.
/// </summary>
public sealed class CachePurgeSettingsStep : NamedRecipeStepHandler
{
    public const string Name = "CachePurgeSettings";

    private static readonly JsonSerializerOptions _jsonOptions = new(JsonSerializerDefaults.Web);

    private readonly ISiteService _siteService;
    private readonly CachePurgeSettingsService _settingsService;
    private readonly IShellReleaseManager _shellReleaseManager;
    private readonly ShellSettings _shellSettings;

    internal readonly IStringLocalizer S;

    public CachePurgeSettingsStep(
        ISiteService siteService,
        CachePurgeSettingsService settingsService,
        IShellReleaseManager shellReleaseManager,
        ShellSettings shellSettings,
        IStringLocalizer<CachePurgeSettingsStep> stringLocalizer)
        : base(Name)
    {
        _siteService = siteService;
        _settingsService = settingsService;
        _shellReleaseManager = shellReleaseManager;
        _shellSettings = shellSettings;
        S = stringLocalizer;
    }

    protected override async Task HandleAsync(RecipeExecutionContext context)
    {
        CachePurgeSettings settings;
        try
        {
            // The step's own properties are the settings; "name" is ignored as an unknown property.
            settings = context.Step.Deserialize<CachePurgeSettings>(_jsonOptions);
        }
        catch (JsonException exception)
        {
            var (field, message) = CachePurgeSettingsJsonError.Describe(exception, context.Step, S);
            context.Errors.Add(S["{0} step, {1}: {2}", Name, field, message]);
            return;
        }

        if (settings is null || settings.Caches?.Any(c => c is null || c.Headers?.Any(h => h is null) == true) == true)
        {
            context.Errors.Add(S["The {0} step has an empty cache or header entry (null).", Name]);
            return;
        }

        settings.Caches ??= [];
        settings.SiteHosts ??= [];
        settings.SiteChanges ??= new();
        foreach (var cache in settings.Caches)
        {
            cache.Headers ??= [];
        }

        // Secrets arrive in plain text; an empty one keeps the one already stored (an export leaves API tokens out), and
        // is put in before the check, so that an empty token of a cache already configured is not refused as missing.
        var site = await _siteService.LoadSiteSettingsAsync();
        var existing = site.GetOrCreate<CachePurgeSettings>();
        _settingsService.KeepStoredSecrets(settings, existing);
        var errors = _settingsService.Validate(settings, site);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                context.Errors.Add(S["{0} step, {1}: {2}", Name, error.Field, error.Message]);
            }

            return;
        }

        _settingsService.ProtectSecrets(settings, existing);
        site.Put(settings);
        await _siteService.UpdateSiteSettingsAsync(site);

        // As on the settings page: the engine reads the settings when the tenant is built. A tenant being set up is
        // built afresh once its recipes have run, so only a running tenant is released.
        if (_shellSettings.IsRunning())
        {
            _shellReleaseManager.RequestRelease();
        }
    }
}
