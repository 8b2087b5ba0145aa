using OrchardCore;
using OrchardCore.Deployment;
using OrchardCore.DisplayManagement.Handlers;
using OrchardCore.DisplayManagement.Views;

namespace CachePurge.Module.Deployment;

public sealed class CachePolicySettingsDeploymentStepDriver : DisplayDriver<DeploymentStep, CachePolicySettingsDeploymentStep>
{
    public override Task<IDisplayResult> DisplayAsync(CachePolicySettingsDeploymentStep step, BuildDisplayContext context)
    {
        return
            CombineAsync(
                View("CachePolicySettingsDeploymentStep_Fields_Summary", step).Location(OrchardCoreConstants.DisplayType.Summary, "Content"),
                View("CachePolicySettingsDeploymentStep_Fields_Thumbnail", step).Location("Thumbnail", "Content")
            );
    }

    public override IDisplayResult Edit(CachePolicySettingsDeploymentStep step, BuildEditorContext context)
    {
        return View("CachePolicySettingsDeploymentStep_Fields_Edit", step).Location("Content");
    }
}
