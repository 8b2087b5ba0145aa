using System.Diagnostics.Metrics;

namespace CachePurge.Module.Services;

/// <summary>How often site-wide changes purge every page, on the engine's meter, <c>CachePurge</c>.</summary>
public sealed class SiteChangeMetrics
{
    private readonly Counter<long> _purges;

    public SiteChangeMetrics(IServiceProvider serviceProvider)
    {
        // Not every host registers a meter factory; a meter of our own still reaches listeners.
        var meter = serviceProvider.GetService(typeof(IMeterFactory)) is IMeterFactory factory ? factory.Create("CachePurge") : new Meter("CachePurge");
        _purges = meter.CreateCounter<long>("cachepurge.site_changes", "{purge}", "Purges of every page after site-wide changes (templates, layers, settings, theme, features, placements, a recipe's request).");
    }

    /// <summary>One purge of everything on <paramref name="tenant"/>, for the changes named in <paramref name="changes"/>.</summary>
    public void Purged(string tenant, string changes) => _purges.Add(
        1,
        new KeyValuePair<string, object>("cachepurge.site", tenant),
        new KeyValuePair<string, object>("cachepurge.changes", changes));
}
