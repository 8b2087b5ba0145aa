using CachePurge.Module.Services;
using CachePurge.Module.Workflows.Activities;
using CachePurge.Module.Workflows.Drivers;
using CachePurge.Module.Workflows.Handlers;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Modules;
using OrchardCore.Workflows.Helpers;

namespace CachePurge.Module.Workflows;

/// <summary>The "Purge cache" task and the "Cache purge failed" event, with the feature <c>CachePurge.Workflows</c>.</summary>
[Feature("CachePurge.Workflows")]
public sealed class Startup : StartupBase
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddActivity<PurgeCacheTask, PurgeCacheTaskDisplayDriver>();
        services.AddActivity<CachePurgeFailedEvent, CachePurgeFailedEventDisplayDriver>();
        services.AddScoped<ICachePurgeEventHandler, CachePurgeFailedWorkflowHandler>();
    }
}
