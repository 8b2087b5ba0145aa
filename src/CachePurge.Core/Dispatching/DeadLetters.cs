using CachePurge.Core.Diagnostics;
using CachePurge.Core.Journal;
using Microsoft.Extensions.Logging;

namespace CachePurge.Core.Dispatching;

/// <summary>Gives up a purge that has failed for longer than <see cref="CachePurgeOptions.DeadLetterAfter"/>: the journal keeps it on the dead-letter list.</summary>
internal sealed class DeadLetters(string endpoint, CachePurgeOptions options, IPurgeJournal journal, CachePurgeMetrics metrics, ILogger logger)
{
    /// <summary>Dead-letters <paramref name="pending"/> if it is old enough; called under the queue's lock, and the caller removes it.</summary>
    public bool TryDeadLetter(PendingPurge pending, string error, DateTimeOffset now)
    {
        if (now - pending.FirstCommitted < options.DeadLetterAfter)
        {
            return false;
        }

        CachePurgeLog.DeadLettered(logger, endpoint, pending.Target.ToString(), options.DeadLetterAfter, error);
        metrics.DeadLettered(endpoint);
        journal.DeadLetter(endpoint, pending.Target, error, now);
        pending.State = PendingState.Superseded;
        return true;
    }
}
