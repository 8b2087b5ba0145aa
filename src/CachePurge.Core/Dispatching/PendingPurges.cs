using CachePurge.Core.Diagnostics;

namespace CachePurge.Core.Dispatching;

/// <summary>
/// The purges held in memory for one cache, at most one per target: a target committed again while it waits coalesces
/// into its entry, and one committed again while in flight is sent once more. <see cref="Sync"/> guards these entries
/// and every other part of the queue.
/// </summary>
internal sealed class PendingPurges(string endpoint, CachePurgeMetrics metrics)
{
    private readonly Dictionary<PurgeTarget, PendingPurge> _byTarget = [];

    /// <summary>The queue's one lock.</summary>
    public Lock Sync { get; } = new();

    public int Count => _byTarget.Count;

    /// <summary>How many of them are paths, for the escalation threshold.</summary>
    public int PathCount { get; private set; }

    public bool TryGet(PurgeTarget target, out PendingPurge pending) => _byTarget.TryGetValue(target, out pending!);

    /// <summary>Merges a commit into the entry already pending for <paramref name="target"/>, if there is one.</summary>
    public bool TryCoalesce(PurgeTarget target, long sequence, long timestamp)
    {
        if (!_byTarget.TryGetValue(target, out var existing))
        {
            return false;
        }

        if (sequence <= existing.Sequence)
        {
            return true;
        }

        existing.Sequence = sequence;
        existing.CommittedTimestamp = timestamp;
        if (existing.State == PendingState.InFlight)
        {
            existing.CommittedAgain = true;
        }
        else
        {
            metrics.Coalesced(endpoint);
        }

        return true;
    }

    public void Add(PendingPurge pending)
    {
        _byTarget.Add(pending.Target, pending);
        if (pending.Target.Kind == PurgeTargetKind.Path)
        {
            PathCount++;
        }
    }

    public void Remove(PendingPurge pending)
    {
        _byTarget.Remove(pending.Target);
        if (pending.Target.Kind == PurgeTargetKind.Path)
        {
            PathCount--;
        }
    }

    /// <summary>The paths not being sent right now: those a purge of everything can replace.</summary>
    public List<PendingPurge> WaitingPaths() =>
        [.. _byTarget.Values.Where(p => p.Target.Kind == PurgeTargetKind.Path && p.State != PendingState.InFlight)];

    /// <summary>Marks a queued entry in flight and gives the sequence its acknowledgement covers; false if it is no longer queued.</summary>
    public bool TryStartFlight(PendingPurge pending, out long sequence)
    {
        lock (Sync)
        {
            sequence = pending.Sequence;
            if (pending.State != PendingState.Queued)
            {
                return false;
            }

            pending.State = PendingState.InFlight;
            pending.CommittedAgain = false;
            return true;
        }
    }
}
