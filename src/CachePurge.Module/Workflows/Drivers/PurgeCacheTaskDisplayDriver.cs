using CachePurge.Module.Services;
using CachePurge.Module.Workflows.Activities;
using CachePurge.Module.Workflows.ViewModels;
using OrchardCore.Workflows.Display;
using OrchardCore.Workflows.Models;

namespace CachePurge.Module.Workflows.Drivers;

public sealed class PurgeCacheTaskDisplayDriver : ActivityDisplayDriver<PurgeCacheTask, PurgeCacheTaskViewModel>
{
    private readonly CachePurgeSettingsService _settingsService;

    public PurgeCacheTaskDisplayDriver(CachePurgeSettingsService settingsService)
    {
        _settingsService = settingsService;
    }

    protected override async ValueTask EditActivityAsync(PurgeCacheTask activity, PurgeCacheTaskViewModel model)
    {
        model.Urls = activity.Urls.Expression;
        model.Tags = activity.Tags.Expression;
        model.Everything = activity.Everything;
        model.Cache = activity.Cache;
        var (settings, _) = await _settingsService.GetSettingsAsync();
        model.Caches = [.. settings.Caches.Select(c => c.Name)];
    }

    protected override void UpdateActivity(PurgeCacheTaskViewModel model, PurgeCacheTask activity)
    {
        activity.Urls = new WorkflowExpression<string>(model.Urls);
        activity.Tags = new WorkflowExpression<string>(model.Tags);
        activity.Everything = model.Everything;
        activity.Cache = model.Cache?.Trim() ?? "";
    }
}
