using CachePurge.Module.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CachePurge.Module.Services;

/// <summary>
/// The site-wide changes one request (or one recipe step) made, and whether they may be sent. Kept apart from the
/// scoped collector so that the deferred task, which runs after the request's scope is gone, holds only this.
/// </summary>
internal sealed class CollectedSiteChanges : CommittedWork
{
    public HashSet<SiteChangeKind> Kinds { get; } = [];

    /// <summary>For a recipe step: the collection of the request running the recipe, which purges for every step at its end.</summary>
    public CollectedSiteChanges Recipe { get; set; }

    public override async Task SendAsync(IServiceProvider services)
    {
        if (!Committed || Failed)
        {
            if (Kinds.Count > 0)
            {
                services.GetService<ILogger<CollectedSiteChanges>>()?.LogDebug(
                    "Not purging everything after {Kinds}: the request failed or its changes were not saved.", string.Join(", ", Kinds));
            }

            return;
        }

        if (Recipe is not null)
        {
            Recipe.Kinds.UnionWith(Kinds);
            return;
        }

        if (Kinds.Count == 0)
        {
            return;
        }

        // Null when this very request disabled the module: the new tenant has no engine to send with.
        var purge = services.GetService<SiteWidePurge>();
        if (purge is null)
        {
            services.GetService<ILogger<CollectedSiteChanges>>()?.LogInformation(
                "Not purging everything after {Kinds}: Cache Purge is no longer enabled on this tenant.", string.Join(", ", Kinds));
            return;
        }

        await purge.PurgeAsync(Kinds);
    }
}
