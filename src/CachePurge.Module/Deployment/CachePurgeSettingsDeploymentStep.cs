using Microsoft.Extensions.Localization;
using OrchardCore.Deployment;

namespace CachePurge.Module.Deployment;

/// <summary>Exports the cache purge settings as a "CachePurgeSettings" recipe step.</summary>
public sealed class CachePurgeSettingsDeploymentStep : DeploymentStep
{
    public CachePurgeSettingsDeploymentStep()
    {
        Name = "CachePurgeSettings";
    }

    // Orchard creates steps through DI with the longest constructor it can satisfy, as for its own steps.
    public CachePurgeSettingsDeploymentStep(IStringLocalizer<CachePurgeSettingsDeploymentStep> S)
        : this()
    {
        Category = S["Configuration"];
    }

    /// <summary>Secret header values are left out unless the plan asks for them; then they are exported in plain text.</summary>
    public bool IncludeSecrets { get; set; }
}
