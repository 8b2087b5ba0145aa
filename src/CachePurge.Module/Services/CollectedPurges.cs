using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CachePurge.Module.Services;

/// <summary>
/// What one request collected, and whether it may be sent. Kept apart from the scoped collector so that the
/// deferred task, which runs after the request's scope is gone, holds only this.
/// </summary>
internal sealed class CollectedPurges : CommittedWork
{
    public HashSet<string> Urls { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Tags { get; } = new(StringComparer.Ordinal);

    public override async Task SendAsync(IServiceProvider services)
    {
        if (!Committed || Failed)
        {
            services.GetService<ILogger<CollectedPurges>>()?.LogDebug(
                "Not purging {Count} URLs: the request failed or its changes were not saved.", Urls.Count);
            return;
        }

        await services.GetRequiredService<TenantPurgeDispatcher>().CommitAsync(Urls, Tags);
    }
}
