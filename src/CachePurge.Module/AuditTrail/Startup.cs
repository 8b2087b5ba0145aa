using CachePurge.Module.AuditTrail.Handlers;
using CachePurge.Module.AuditTrail.Services;
using CachePurge.Module.Services;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrchardCore.AuditTrail.Services.Models;
using OrchardCore.Modules;

namespace CachePurge.Module.AuditTrail;

/// <summary>While the audit trail is on, purges of everything, dead-letter replays and saved settings are recorded in it.</summary>
[RequireFeatures("OrchardCore.AuditTrail")]
public sealed class Startup : StartupBase
{
    public override void ConfigureServices(IServiceCollection services)
    {
        services.AddTransient<IConfigureOptions<AuditTrailOptions>, CachePurgeAuditTrailEventConfiguration>();
        services.AddScoped<ICachePurgeEventHandler, CachePurgeAuditTrailEventHandler>();
    }
}
