using CachePurge.Module.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CachePurge.Module.Services;

/// <summary>
/// What one request collected, and whether it may be sent. Kept apart from the scoped collector so that the
/// deferred task, which runs after the request's scope is gone, holds only this.
/// </summary>
internal sealed class CollectedPurges : CommittedWork
{
    /// <summary>What was collected, as saved in the request's transaction.</summary>
    public PurgeIntent Intent { get; } = new();

    public HashSet<string> Urls => Intent.Urls;

    public HashSet<string> Tags => Intent.Tags;

    public override async Task SendAsync(IServiceProvider services)
    {
        if (!Committed || Failed)
        {
            services.GetService<ILogger<CollectedPurges>>()?.LogDebug(
                "Not purging {Count} URLs: the request failed or its changes were not saved.", Urls.Count);
            return;
        }

        // A node that dies before this leaves the intent to the recovery task of any node.
        await services.GetRequiredService<PurgeIntentHandOver>().HandOverAsync(Intent);
    }
}
