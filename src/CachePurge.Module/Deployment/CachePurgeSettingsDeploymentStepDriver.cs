using CachePurge.Module.ViewModels;
using OrchardCore;
using OrchardCore.Deployment;
using OrchardCore.DisplayManagement.Handlers;
using OrchardCore.DisplayManagement.Views;

namespace CachePurge.Module.Deployment;

public sealed class CachePurgeSettingsDeploymentStepDriver : DisplayDriver<DeploymentStep, CachePurgeSettingsDeploymentStep>
{
    public override Task<IDisplayResult> DisplayAsync(CachePurgeSettingsDeploymentStep step, BuildDisplayContext context)
    {
        return
            CombineAsync(
                View("CachePurgeSettingsDeploymentStep_Fields_Summary", step).Location(OrchardCoreConstants.DisplayType.Summary, "Content"),
                View("CachePurgeSettingsDeploymentStep_Fields_Thumbnail", step).Location("Thumbnail", "Content")
            );
    }

    public override IDisplayResult Edit(CachePurgeSettingsDeploymentStep step, BuildEditorContext context)
    {
        return Initialize<CachePurgeSettingsDeploymentStepViewModel>("CachePurgeSettingsDeploymentStep_Fields_Edit", model =>
        {
            model.IncludeSecrets = step.IncludeSecrets;
        }).Location("Content");
    }

    public override async Task<IDisplayResult> UpdateAsync(CachePurgeSettingsDeploymentStep step, UpdateEditorContext context)
    {
        await context.Updater.TryUpdateModelAsync(step, Prefix, s => s.IncludeSecrets);

        return Edit(step, context);
    }
}
