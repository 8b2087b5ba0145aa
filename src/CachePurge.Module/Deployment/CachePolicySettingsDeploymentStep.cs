using Microsoft.Extensions.Localization;
using OrchardCore.Deployment;

namespace CachePurge.Module.Deployment;

/// <summary>Exports the cache policy as a "CachePolicySettings" recipe step.</summary>
public sealed class CachePolicySettingsDeploymentStep : DeploymentStep
{
    public CachePolicySettingsDeploymentStep()
    {
        Name = "CachePolicySettings";
    }

    // Orchard creates steps through DI with the longest constructor it can satisfy, as for its own steps.
    public CachePolicySettingsDeploymentStep(IStringLocalizer<CachePolicySettingsDeploymentStep> S)
        : this()
    {
        Category = S["Configuration"];
    }
}
