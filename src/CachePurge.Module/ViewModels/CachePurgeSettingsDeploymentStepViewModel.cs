namespace CachePurge.Module.ViewModels;

public sealed class CachePurgeSettingsDeploymentStepViewModel
{
    public bool IncludeSecrets { get; set; }
}
