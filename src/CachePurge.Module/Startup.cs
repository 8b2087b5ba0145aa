using CachePurge.Core;
using CachePurge.Module.Deployment;
using CachePurge.Module.Drivers;
using CachePurge.Module.Handlers;
using CachePurge.Module.Models;
using CachePurge.Module.Recipes;
using CachePurge.Module.Services;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.BackgroundTasks;
using OrchardCore.ContentManagement;
using OrchardCore.ContentManagement.Display.ContentDisplay;
using OrchardCore.ContentManagement.Handlers;
using OrchardCore.Data.Migration;
using OrchardCore.Deployment;
using OrchardCore.DisplayManagement.Handlers;
using OrchardCore.Modules;
using OrchardCore.Navigation;
using OrchardCore.Recipes;
using OrchardCore.Security.Permissions;

namespace CachePurge.Module;

public sealed class Startup : StartupBase
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddPermissionProvider<Permissions>();
        services.AddNavigationProvider<AdminMenu>();
        services.AddDataMigration<Migrations>();

        // The tenant's engine: one per tenant, started and stopped with it.
        services.AddCachePurgeHttpClient();
        services.AddSingleton<CachePurgeSettingsService>();
        services.AddSingleton<TenantPurgeDispatcher>();
        services.AddScoped<IModularTenantEvents, CachePurgeTenantEvents>();
        services.AddSingleton<IBackgroundTask, CachePurgeBackgroundTask>();

        // What to purge: collected per request, sent once after the request's changes are saved.
        services.AddScoped<PurgeUrlCollector>();
        services.AddScoped<IContentHandler, CachePurgeContentHandler>();

        // Settings.
        services.AddSiteDisplayDriver<CachePurgeSettingsDisplayDriver>();
        services.AddRecipeExecutionStep<CachePurgeSettingsStep>();

        // Extra URLs per content item.
        services.AddContentPart<PurgeUrlsPart>()
            .UseDisplayDriver<PurgeUrlsPartDisplayDriver>();
    }
}

[RequireFeatures("OrchardCore.Deployment")]
public sealed class DeploymentStartup : StartupBase
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddDeployment<CachePurgeSettingsDeploymentSource, CachePurgeSettingsDeploymentStep, CachePurgeSettingsDeploymentStepDriver>();
    }
}
