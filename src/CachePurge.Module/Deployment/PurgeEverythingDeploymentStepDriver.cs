using OrchardCore;
using OrchardCore.Deployment;
using OrchardCore.DisplayManagement.Handlers;
using OrchardCore.DisplayManagement.Views;

namespace CachePurge.Module.Deployment;

public sealed class PurgeEverythingDeploymentStepDriver : DisplayDriver<DeploymentStep, PurgeEverythingDeploymentStep>
{
    public override Task<IDisplayResult> DisplayAsync(PurgeEverythingDeploymentStep step, BuildDisplayContext context)
    {
        return
            CombineAsync(
                View("PurgeEverythingDeploymentStep_Fields_Summary", step).Location(OrchardCoreConstants.DisplayType.Summary, "Content"),
                View("PurgeEverythingDeploymentStep_Fields_Thumbnail", step).Location("Thumbnail", "Content")
            );
    }

    public override IDisplayResult Edit(PurgeEverythingDeploymentStep step, BuildEditorContext context)
    {
        return View("PurgeEverythingDeploymentStep_Fields_Edit", step).Location("Content");
    }
}
