using CachePurge.Module.Recipes;
using Microsoft.Extensions.Localization;
using OrchardCore.Deployment;

namespace CachePurge.Module.Deployment;

/// <summary>Adds a "CachePurgeEverything" step to the plan: the site that imports it purges every page at the end of the import.</summary>
public sealed class PurgeEverythingDeploymentStep : DeploymentStep
{
    public PurgeEverythingDeploymentStep()
    {
        Name = PurgeEverythingStep.Name;
    }

    // Orchard creates steps through DI with the longest constructor it can satisfy, as for its own steps.
    public PurgeEverythingDeploymentStep(IStringLocalizer<PurgeEverythingDeploymentStep> S)
        : this()
    {
        Category = S["Configuration"];
    }
}
