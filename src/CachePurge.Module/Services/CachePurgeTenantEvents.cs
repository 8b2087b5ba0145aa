using OrchardCore.Modules;

namespace CachePurge.Module.Services;

/// <summary>Starts the tenant's engine with the tenant, so that the journal is replayed without waiting for an edit.</summary>
public sealed class CachePurgeTenantEvents : ModularTenantEvents
{
    private readonly TenantPurgeDispatcher _dispatcher;

    public CachePurgeTenantEvents(TenantPurgeDispatcher dispatcher)
    {
        _dispatcher = dispatcher;
    }

    public override Task ActivatedAsync() => _dispatcher.StartAsync();

    public override Task TerminatingAsync() => _dispatcher.StopAsync();
}
