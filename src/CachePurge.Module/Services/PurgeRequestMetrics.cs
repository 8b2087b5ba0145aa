using System.Diagnostics.Metrics;

namespace CachePurge.Module.Services;

/// <summary>Purges asked for by workflows and API clients, and failures handed to workflows, on the engine's meter, <c>CachePurge</c>.</summary>
public sealed class PurgeRequestMetrics
{
    private readonly Counter<long> _requests;
    private readonly Counter<long> _failuresHandled;

    public PurgeRequestMetrics(IServiceProvider serviceProvider)
    {
        // Not every host registers a meter factory; a meter of our own still reaches listeners.
        var meter = serviceProvider.GetService(typeof(IMeterFactory)) is IMeterFactory factory ? factory.Create("CachePurge") : new Meter("CachePurge");
        _requests = meter.CreateCounter<long>("cachepurge.requests", "{request}", "Purges asked for by the operations page, workflows and API clients, by source and result.");
        _failuresHandled = meter.CreateCounter<long>("cachepurge.failures_handled", "{failure}", "Failed or dead-lettered purges handed to the module's integrations (workflows).");
    }

    /// <summary>One request from <paramref name="source"/> (<c>api</c>, <c>workflow</c>, <c>admin</c>), <c>journaled</c>, <c>refused</c> or <c>off</c>.</summary>
    public void Requested(string tenant, string source, string result) => _requests.Add(
        1,
        new KeyValuePair<string, object>("cachepurge.site", tenant),
        new KeyValuePair<string, object>("cachepurge.source", source),
        new KeyValuePair<string, object>("cachepurge.result", result));

    public void FailureHandled(string tenant, bool deadLettered) => _failuresHandled.Add(
        1,
        new KeyValuePair<string, object>("cachepurge.site", tenant),
        new KeyValuePair<string, object>("cachepurge.dead_lettered", deadLettered));
}
