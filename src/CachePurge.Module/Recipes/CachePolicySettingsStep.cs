using System.Text.Json;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using Microsoft.Extensions.Localization;
using OrchardCore.Entities;
using OrchardCore.Recipes.Models;
using OrchardCore.Recipes.Services;
using OrchardCore.Settings;

namespace CachePurge.Module.Recipes;

/// <summary>
/// The "CachePolicySettings" step sets the tenant's cache policy. It checks it exactly like the settings page does
/// and, on bad input, fails the recipe naming the field and the reason, and writes nothing. No service keeps the
/// policy (each response reads it), so the tenant is not released.
/// </summary>
public sealed class CachePolicySettingsStep : NamedRecipeStepHandler
{
    public const string Name = "CachePolicySettings";

    private static readonly JsonSerializerOptions _jsonOptions = new(JsonSerializerDefaults.Web);

    private readonly ISiteService _siteService;
    private readonly CachePolicySettingsValidator _validator;

    internal readonly IStringLocalizer S;

    public CachePolicySettingsStep(
        ISiteService siteService,
        CachePolicySettingsValidator validator,
        IStringLocalizer<CachePolicySettingsStep> stringLocalizer)
        : base(Name)
    {
        _siteService = siteService;
        _validator = validator;
        S = stringLocalizer;
    }

    protected override async Task HandleAsync(RecipeExecutionContext context)
    {
        CachePolicySettings settings;
        try
        {
            // The step's own properties are the settings; "name" is ignored as an unknown property.
            settings = context.Step.Deserialize<CachePolicySettings>(_jsonOptions);
        }
        catch (JsonException exception)
        {
            context.Errors.Add(S["The {0} step is not valid JSON for a cache policy: {1}", Name, exception.Message]);
            return;
        }

        if (settings is null || settings.ContentTypes?.Any(r => r is null) == true || settings.Paths?.Any(r => r is null) == true)
        {
            context.Errors.Add(S["The {0} step has an empty rule.", Name]);
            return;
        }

        settings.ContentTypes ??= [];
        settings.Paths ??= [];
        var errors = _validator.Validate(settings);
        if (errors.Count > 0)
        {
            foreach (var error in errors)
            {
                context.Errors.Add(S["{0} step, {1}: {2}", Name, error.Field, error.Message]);
            }

            return;
        }

        var site = await _siteService.LoadSiteSettingsAsync();
        site.Put(settings);
        await _siteService.UpdateSiteSettingsAsync(site);
    }
}
