using System.Text.Json.Nodes;
using CachePurge.Module.Recipes;
using OrchardCore.Deployment;

namespace CachePurge.Module.Deployment;

public sealed class PurgeEverythingDeploymentSource : DeploymentSourceBase<PurgeEverythingDeploymentStep>
{
    protected override Task ProcessAsync(PurgeEverythingDeploymentStep step, DeploymentPlanResult result)
    {
        result.Steps.Add(new JsonObject { ["name"] = PurgeEverythingStep.Name });
        return Task.CompletedTask;
    }
}
