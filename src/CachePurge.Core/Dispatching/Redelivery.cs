using CachePurge.Core.Diagnostics;
using CachePurge.Core.Journal;
using Microsoft.Extensions.Logging;

namespace CachePurge.Core.Dispatching;

/// <summary>
/// Puts a failed purge back in the ready queue after a delay that doubles with each failure (with jitter), up to
/// <see cref="CachePurgeOptions.MaxRedeliveryDelay"/>; a cache that refuses us waits the longest delay at once.
/// A purge failing for too long goes to the <see cref="DeadLetters"/> instead.
/// <paramref name="reachedThroughApi"/>: a CDN, whose refusals are about its API token rather than a cache's ACL.
/// <paramref name="reportFailure"/> hears of every purge given up, and of the others as often as they are logged.
/// </summary>
internal sealed class Redelivery(
    string endpoint,
    bool reachedThroughApi,
    CachePurgeOptions options,
    PendingPurges pending,
    ReadyQueues ready,
    DeadLetters deadLetters,
    IPurgeJournal journal,
    TimeProvider time,
    LogThrottle repeatedWarnings,
    ILogger logger,
    Action<PendingPurge> remove,
    Action<PurgeFailure> reportFailure,
    CancellationToken stopping)
{
    public void Fail(PendingPurge failed, Delivery delivery)
    {
        var error = delivery.Error ?? delivery.Outcome.ToString();
        journal.RecordFailure(endpoint, failed.Target, error);
        var now = time.GetUtcNow();
        var delay = TimeSpan.Zero;
        var deadLettered = false;
        lock (pending.Sync)
        {
            failed.Attempts++;
            failed.LastError = error;
            if (deadLetters.TryDeadLetter(failed, error, now))
            {
                remove(failed);
                deadLettered = true;
            }
            else
            {
                // A cache that refuses us will keep refusing until someone fixes it: don't hammer it.
                delay = delivery.Outcome == PurgeOutcome.Refused ? options.MaxRedeliveryDelay : Delay(failed.Attempts);
                failed.State = PendingState.WaitingRetry;
            }
        }

        // Outside the lock: whoever listens must not hold up the other workers.
        var failure = new PurgeFailure(now, endpoint, failed.Target.ToString(), delivery.Outcome, delivery.Status, error, deadLettered);
        if (deadLettered)
        {
            reportFailure(failure);
            return;
        }

        if (delivery.Outcome == PurgeOutcome.Refused && reachedThroughApi)
        {
            // A CDN's API refuses a token, not an address: its own error says which.
            if (repeatedWarnings.ShouldLog($"4140 {delivery.Status}", out var skipped))
            {
                CachePurgeLog.ApiRefused(logger, endpoint, failed.Target.ToString(), error, skipped);
                reportFailure(failure);
            }
        }
        else if (delivery.Outcome == PurgeOutcome.Refused)
        {
            if (repeatedWarnings.ShouldLog($"4103 {delivery.Status}", out var skipped))
            {
                CachePurgeLog.Refused(logger, endpoint, failed.Target.ToString(), delivery.Status ?? 0, skipped);
                reportFailure(failure);
            }
        }
        else if (repeatedWarnings.ShouldLog("4102 " + error, out var skipped))
        {
            CachePurgeLog.DeliveryFailed(logger, endpoint, failed.Target.ToString(), error, failed.Attempts, delay.TotalSeconds, skipped);
            reportFailure(failure);
        }

        _ = RequeueAfterAsync(failed, delay);
    }

    private TimeSpan Delay(int attempts)
    {
        var exponential = options.RedeliveryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempts - 1, 20));
        var jittered = exponential * (0.8 + (Random.Shared.NextDouble() * 0.4));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, options.MaxRedeliveryDelay.TotalMilliseconds));
    }

    private async Task RequeueAfterAsync(PendingPurge failed, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, time, stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (pending.Sync)
        {
            if (failed.State == PendingState.WaitingRetry)
            {
                ready.Ready(failed);
            }
        }
    }
}
