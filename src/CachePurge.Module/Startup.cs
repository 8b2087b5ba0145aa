using CachePurge.Core;
using CachePurge.Module.Deployment;
using CachePurge.Module.Drivers;
using CachePurge.Module.Handlers;
using CachePurge.Module.Indexes;
using CachePurge.Module.Models;
using CachePurge.Module.Recipes;
using CachePurge.Module.Services;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.BackgroundTasks;
using OrchardCore.ContentManagement;
using OrchardCore.ContentManagement.Display.ContentDisplay;
using OrchardCore.ContentManagement.Handlers;
using OrchardCore.Data;
using OrchardCore.Data.Migration;
using OrchardCore.Deployment;
using OrchardCore.DynamicCache;
using OrchardCore.DisplayManagement;
using OrchardCore.DisplayManagement.Handlers;
using OrchardCore.Environment.Shell;
using OrchardCore.Environment.Shell.Configuration;
using OrchardCore.Layers.Models;
using OrchardCore.Modules;
using OrchardCore.Navigation;
using OrchardCore.Placements.Models;
using OrchardCore.Recipes;
using OrchardCore.Recipes.Events;
using OrchardCore.Security.Permissions;
using OrchardCore.Templates.Models;

namespace CachePurge.Module;

public sealed class Startup : StartupBase
{
    private readonly IShellConfiguration _configuration;

    public Startup(IShellConfiguration configuration)
    {
        _configuration = configuration;
    }

    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddPermissionProvider<Permissions>();
        services.AddNavigationProvider<AdminMenu>();
        services.AddDataMigration<Migrations>();

        // The tenant's engine: one per tenant, started and stopped with it; a settings change releases the tenant.
        services.AddCachePurgeHttpClient();
        services.AddSingleton<CachePurgeSettingsService>();
        services.AddSingleton<TenantPurgeDispatcher>();
        services.AddScoped<IModularTenantEvents, CachePurgeTenantEvents>();

        // The operations page's work, behind its admin controller.
        services.AddScoped<CachePurgeOperations>();
        services.AddSingleton<PurgeRequestMetrics>();
        services.AddScoped<PageCacheLifetimes>();
        services.AddScoped<CacheLifetimeText>();

        // What to purge: collected per request, saved with the request's changes as a purge intent, and handed to the
        // engine once they are saved; intents a dying node left behind are handed over by any node's recovery task.
        services.AddScoped<PurgeUrlCollector>();
        services.AddScoped<IPurgeIntentStore, PurgeIntentStore>();
        services.AddScoped<PurgeIntentHandOver>();
        services.AddScoped<IPurgeIntentClaim>(sp => sp.GetRequiredService<PurgeIntentHandOver>());
        services.AddSingleton<OwnedPurgeIntents>();
        services.Configure<PurgeIntentOptions>(_configuration.GetSection("CachePurge"));
        services.AddSingleton<IBackgroundTask, PurgeIntentLeaseTask>();
        services.AddIndexProvider<PurgeIntentIndexProvider>();
        services.Configure<StoreCollectionOptions>(options => options.Collections.Add(PurgeIntentIndexProvider.Collection));
        services.AddSingleton<IBackgroundTask, PurgeIntentRecoveryTask>();
        services.AddScoped<ContentPurgeTargets>();
        services.AddScoped<IContentHandler, CachePurgeContentHandler>();
        services.AddScoped<IContentDisplayDriver, PurgePreviewDisplayDriver>();

        // Each node's engine's queues and health, in the database for every node's operations page.
        services.AddScoped<PurgeNodeStatusStore>();
        services.AddSingleton<PurgeNodeReporter>();
        services.AddIndexProvider<PurgeNodeStatusIndexProvider>();

        // Content tags on responses: the items a page displays, written into a header just before it is sent.
        services.AddScoped<DisplayedContentItems>();
        services.AddScoped<IContentDisplayHandler, DisplayedContentItemsHandler>();
        services.AddScoped<ContentTagsResponseWriter>();
        services.AddSingleton<ContentTagMetrics>();

        // The cache policy: how long caches and browsers may keep each page, written with the tags.
        services.AddSingleton<CurrentCachePolicy>();
        services.AddScoped<CachePolicyResponseWriter>();
        services.AddSingleton<CachePolicySettingsValidator>();

        // Settings.
        services.AddSiteDisplayDriver<CachePurgeSettingsDisplayDriver>();
        services.AddRecipeExecutionStep<CachePurgeSettingsStep>();
        services.AddSiteDisplayDriver<CachePolicySettingsDisplayDriver>();
        services.AddRecipeExecutionStep<CachePolicySettingsStep>();

        // Extra URLs per content item.
        services.AddContentPart<PurgeUrlsPart>()
            .UseDisplayDriver<PurgeUrlsPartDisplayDriver>();

        // Site-wide changes: collected per request like content; everything is purged once, after the changes are saved.
        services.AddScoped<SiteChangeCollector>();
        services.AddScoped<SiteWidePurge>();
        services.AddSingleton<SiteChangeMetrics>();
        services.AddSiteChangeSiteService();
        services.AddScoped<IFeatureEventHandler, SiteChangeFeatureEventHandler>();
        services.AddSingleton<IRecipeEventHandler, SiteChangeRecipeEventHandler>();
        services.AddRecipeExecutionStep<PurgeEverythingStep>();
    }

    public override void Configure(IApplicationBuilder app, IEndpointRouteBuilder routes, IServiceProvider serviceProvider)
    {
        app.UseMiddleware<SharedCacheHeadersMiddleware>();
    }
}

/// <summary>Pages whose parts come from Orchard's dynamic cache still carry the tags of the items in those parts.</summary>
[RequireFeatures("OrchardCore.DynamicCache")]
public sealed class DynamicCacheStartup : StartupBase
{
    // After the dynamic cache's own registrations, which this wraps.
    public override int Order => 1000;

    public override void ConfigureServices(IServiceCollection services)
    {
        var descriptor = services.LastOrDefault(d => d.ServiceType == typeof(IDynamicCacheService));
        if (descriptor?.ImplementationType is not { } implementation)
        {
            return;
        }

        services.Remove(descriptor);
        services.Add(ServiceDescriptor.Describe(implementation, implementation, descriptor.Lifetime));
        services.Add(ServiceDescriptor.Describe(
            typeof(IDynamicCacheService),
            sp => new TaggingDynamicCacheService(
                (IDynamicCacheService)sp.GetRequiredService(implementation),
                sp.GetRequiredService<IDynamicCache>(),
                sp.GetRequiredService<DisplayedContentItems>()),
            descriptor.Lifetime));
    }
}

/// <summary>The menu every page shows carries its content tag like the content items the page displays.</summary>
[RequireFeatures("OrchardCore.Menu")]
public sealed class MenuStartup : StartupBase
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddShapeTableProvider<MenuContentTagShapes>();
    }
}

[RequireFeatures("OrchardCore.Deployment")]
public sealed class DeploymentStartup : StartupBase
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddDeployment<CachePurgeSettingsDeploymentSource, CachePurgeSettingsDeploymentStep, CachePurgeSettingsDeploymentStepDriver>();
        services.AddDeployment<CachePolicySettingsDeploymentSource, CachePolicySettingsDeploymentStep, CachePolicySettingsDeploymentStepDriver>();
        services.AddDeployment<PurgeEverythingDeploymentSource, PurgeEverythingDeploymentStep, PurgeEverythingDeploymentStepDriver>();
    }
}

/// <summary>A saved or removed Liquid template changes every page that uses it.</summary>
[RequireFeatures("OrchardCore.Templates")]
public sealed class TemplatesStartup : StartupBase
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSiteChangeDocument<TemplatesDocument>(SiteChangeKind.Templates);
    }
}

/// <summary>A layer rule, or a widget moved into a layer, changes which pages show which widgets.</summary>
[RequireFeatures("OrchardCore.Layers")]
public sealed class LayersStartup : StartupBase
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSiteChangeDocument<LayersDocument>(SiteChangeKind.Layers);
        services.AddScoped<IContentHandler, WidgetLayerHandler>();
    }
}

/// <summary>A shape placement changes every page that shows the shape.</summary>
[RequireFeatures("OrchardCore.Placements")]
public sealed class PlacementsStartup : StartupBase
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddSiteChangeDocument<PlacementsDocument>(SiteChangeKind.Placements);
    }
}
