using OrchardCore.Deployment;

namespace CachePurge.Module.Deployment;

/// <summary>Exports the cache purge settings as a "CachePurgeSettings" recipe step.</summary>
public sealed class CachePurgeSettingsDeploymentStep : DeploymentStep
{
    public CachePurgeSettingsDeploymentStep()
    {
        Name = "CachePurgeSettings";
    }

    /// <summary>Secret header values are left out unless the plan asks for them; then they are exported in plain text.</summary>
    public bool IncludeSecrets { get; set; }
}
