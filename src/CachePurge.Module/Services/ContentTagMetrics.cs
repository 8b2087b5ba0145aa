using System.Diagnostics.Metrics;

namespace CachePurge.Module.Services;

/// <summary>The module's instruments on the engine's meter, <c>CachePurge</c>.</summary>
public sealed class ContentTagMetrics
{
    private readonly Counter<long> _overflows;

    public ContentTagMetrics(IServiceProvider serviceProvider)
    {
        // Not every host registers a meter factory; a meter of our own still reaches listeners.
        var meter = serviceProvider.GetService(typeof(IMeterFactory)) is IMeterFactory factory ? factory.Create("CachePurge") : new Meter("CachePurge");
        _overflows = meter.CreateCounter<long>("cachepurge.tags.overflow", "{response}", "Responses whose content tags exceeded the header limit and carried only the site tag.");
    }

    public void Overflowed(string tenant) => _overflows.Add(1, new KeyValuePair<string, object>("cachepurge.site", tenant));
}
