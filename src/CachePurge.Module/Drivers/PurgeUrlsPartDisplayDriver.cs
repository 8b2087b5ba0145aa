using CachePurge.Core;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.ViewModels;
using Microsoft.Extensions.Localization;
using OrchardCore.ContentManagement.Display.ContentDisplay;
using OrchardCore.ContentManagement.Display.Models;
using OrchardCore.DisplayManagement.Views;
using OrchardCore.Mvc.ModelBinding;

namespace CachePurge.Module.Drivers;

/// <summary>Edits the extra URLs; on the front end the part renders nothing.</summary>
public sealed class PurgeUrlsPartDisplayDriver : ContentPartDisplayDriver<PurgeUrlsPart>
{
    private readonly CachePurgeSettingsService _settingsService;

    internal readonly IStringLocalizer S;

    public PurgeUrlsPartDisplayDriver(
        CachePurgeSettingsService settingsService,
        IStringLocalizer<PurgeUrlsPartDisplayDriver> stringLocalizer)
    {
        _settingsService = settingsService;
        S = stringLocalizer;
    }

    public override IDisplayResult Edit(PurgeUrlsPart part, BuildPartEditorContext context)
    {
        return Initialize<PurgeUrlsPartViewModel>("PurgeUrlsPart_Edit", model =>
        {
            model.Urls = string.Join(Environment.NewLine, part.Urls);
        }).Location("Parts#Cache:10");
    }

    public override async Task<IDisplayResult> UpdateAsync(PurgeUrlsPart part, UpdatePartEditorContext context)
    {
        var model = new PurgeUrlsPartViewModel();
        await context.Updater.TryUpdateModelAsync(model, Prefix, m => m.Urls);

        var (settings, site) = await _settingsService.GetSettingsAsync();
        var (urls, errors) = Parse(model.Urls, _settingsService.CreateNormalizer(settings, site), S);
        foreach (var error in errors)
        {
            context.Updater.ModelState.AddModelError(Prefix, nameof(model.Urls), error);
        }

        part.Urls = urls;

        return Edit(part, context);
    }

    /// <summary>
    /// The non-empty lines, as typed, and an error naming the line and the reason for each line that is not a URL of
    /// this site. They are kept as typed so that the editor reads back what was entered; they are normalised when sent.
    /// </summary>
    internal static (string[] Urls, List<string> Errors) Parse(string text, PurgeUrlNormalizer normalizer, IStringLocalizer S)
    {
        List<string> urls = [];
        List<string> errors = [];
        var lines = (text ?? "").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var result = normalizer.Normalize(line);
            if (!result.IsValid)
            {
                errors.Add(S["line {0}: {1}", i + 1, result.Error]);
            }

            urls.Add(line);
        }

        return ([.. urls.Distinct(StringComparer.Ordinal)], errors);
    }
}
