using CachePurge.Module.Services;
using CachePurge.Module.Workflows.Activities;
using CachePurge.Module.Workflows.ViewModels;
using OrchardCore.Workflows.Display;

namespace CachePurge.Module.Workflows.Drivers;

public sealed class CachePurgeFailedEventDisplayDriver : ActivityDisplayDriver<CachePurgeFailedEvent, CachePurgeFailedEventViewModel>
{
    private readonly CachePurgeSettingsService _settingsService;

    public CachePurgeFailedEventDisplayDriver(CachePurgeSettingsService settingsService)
    {
        _settingsService = settingsService;
    }

    protected override async ValueTask EditActivityAsync(CachePurgeFailedEvent activity, CachePurgeFailedEventViewModel model)
    {
        model.OnlyDeadLetters = activity.OnlyDeadLetters;
        model.Cache = activity.Cache;
        var (settings, _) = await _settingsService.GetSettingsAsync();
        model.Caches = [.. settings.Caches.Select(c => c.Name)];
    }

    protected override void UpdateActivity(CachePurgeFailedEventViewModel model, CachePurgeFailedEvent activity)
    {
        activity.OnlyDeadLetters = model.OnlyDeadLetters;
        activity.Cache = model.Cache?.Trim() ?? "";
    }
}
