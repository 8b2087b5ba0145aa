using CachePurge.Core.Diagnostics;
using Microsoft.Extensions.Logging;

namespace CachePurge.Core.Dispatching;

/// <summary>
/// Replaces every waiting path by one purge of everything once more than <see cref="CachePurgeOptions.EscalationThreshold"/>
/// calls' worth of paths wait, where the cache can purge everything; the journal keeps the paths until that purge is
/// acknowledged. A backend that takes many paths in one call (a CDN) so escalates only when its backlog is as many calls
/// as a cache asked page by page would have.
/// </summary>
internal sealed class Escalation(
    string endpoint,
    CachePurgeOptions options,
    bool canPurgeEverything,
    int pathsPerCall,
    PendingPurges pending,
    ReadyQueues ready,
    CachePurgeMetrics metrics,
    ILogger logger,
    Action<PendingPurge> remove)
{
    /// <summary>Escalates if the path just added crossed the threshold; called under the queue's lock.</summary>
    public void PathAdded(PendingPurge added)
    {
        if (options.EscalationThreshold > 0 && canPurgeEverything && pending.PathCount > (long)options.EscalationThreshold * pathsPerCall)
        {
            Escalate(added.Sequence, added.FirstCommitted, added.CommittedTimestamp);
        }
    }

    private void Escalate(long sequence, DateTimeOffset committedAt, long timestamp)
    {
        CachePurgeLog.Escalated(logger, endpoint, pending.PathCount, options.EscalationThreshold * pathsPerCall);
        metrics.Escalated(endpoint);

        // The purge of everything is held first: removing the paths must not leave the queue empty, which would signal idle.
        if (!pending.TryGet(PurgeTarget.Everything, out var everything))
        {
            everything = new PendingPurge(PurgeTarget.Everything, sequence, committedAt, timestamp);
            pending.Add(everything);
            ready.Ready(everything);
        }
        else if (everything.State == PendingState.InFlight)
        {
            everything.CommittedAgain = true;
        }

        foreach (var path in pending.WaitingPaths())
        {
            path.State = PendingState.Superseded;
            remove(path);
        }
    }
}
