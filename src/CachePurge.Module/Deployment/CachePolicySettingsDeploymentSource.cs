using System.Text.Json;
using CachePurge.Module.Models;
using CachePurge.Module.Recipes;
using OrchardCore.Deployment;
using OrchardCore.Entities;
using OrchardCore.Settings;

namespace CachePurge.Module.Deployment;

public sealed class CachePolicySettingsDeploymentSource : DeploymentSourceBase<CachePolicySettingsDeploymentStep>
{
    private readonly ISiteService _siteService;

    public CachePolicySettingsDeploymentSource(ISiteService siteService)
    {
        _siteService = siteService;
    }

    protected override async Task ProcessAsync(CachePolicySettingsDeploymentStep step, DeploymentPlanResult result)
    {
        var settings = (await _siteService.GetSiteSettingsAsync()).GetOrCreate<CachePolicySettings>();

        var json = JsonSerializer.SerializeToNode(settings)!.AsObject();
        json.Insert(0, "name", CachePolicySettingsStep.Name);
        result.Steps.Add(json);
    }
}
