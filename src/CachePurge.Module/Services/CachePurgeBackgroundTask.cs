using Microsoft.Extensions.DependencyInjection;
using OrchardCore.BackgroundTasks;

namespace CachePurge.Module.Services;

/// <summary>
/// Keeps the tenant's engine in step with its settings: settings changed by a recipe, a deployment or another
/// server are picked up and the journal is replayed by the new engine, without waiting for an edit or a restart.
/// </summary>
[BackgroundTask(
    Title = "Cache purge replay",
    Schedule = "* * * * *",
    Description = "Applies changed cache purge settings and replays purges still waiting in the journal.")]
public sealed class CachePurgeBackgroundTask : IBackgroundTask
{
    public Task DoWorkAsync(IServiceProvider serviceProvider, CancellationToken cancellationToken) =>
        serviceProvider.GetRequiredService<TenantPurgeDispatcher>().RefreshAsync();
}
