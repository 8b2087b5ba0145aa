using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Environment.Shell.Scope;
using OrchardCore.Modules;

namespace CachePurge.Module.Services;

/// <summary>
/// Starts the tenant's engine with the tenant, so that the journal is replayed without waiting for an edit, and tells the
/// other nodes so.
/// </summary>
public sealed class CachePurgeTenantEvents : ModularTenantEvents
{
    private readonly TenantPurgeDispatcher _dispatcher;

    public CachePurgeTenantEvents(TenantPurgeDispatcher dispatcher)
    {
        _dispatcher = dispatcher;
    }

    public override async Task ActivatedAsync()
    {
        await _dispatcher.StartAsync();

        // In a scope of its own once activation is over, when the tenant's session can be used.
        ShellScope.AddDeferredTask(scope => scope.ServiceProvider.GetRequiredService<PurgeNodeReporter>().ReportAsync(scope.ServiceProvider));
    }

    public override Task TerminatingAsync() => _dispatcher.StopAsync();
}
