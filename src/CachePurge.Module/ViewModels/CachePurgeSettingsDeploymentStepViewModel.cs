namespace CachePurge.Module.ViewModels;

// Not sealed: Orchard builds editor shapes around a runtime proxy of the view model.
public class CachePurgeSettingsDeploymentStepViewModel
{
    public bool IncludeSecrets { get; set; }
}
