using CachePurge.Core.Diagnostics;
using CachePurge.Core.Journal;

namespace CachePurge.Core.Dispatching;

/// <summary>
/// What one cache did lately, for its health on the admin page: the last success, the last error (the same error in a
/// row counted, not repeated), and the last hour minute by minute. A success costs two writes and an interlocked
/// increment; nothing here takes a lock.
/// </summary>
internal sealed class EndpointActivity(string endpoint, TimeProvider time)
{
    private readonly ActivityRing _lastHour = new(time);
    private long _lastSuccessTicks;
    private EndpointError? _lastError;

    public string Endpoint => endpoint;

    /// <summary>Counts a request the cache answered (or did not), at <paramref name="at"/>.</summary>
    public void Answered(bool succeeded, string? error, DateTimeOffset at)
    {
        _lastHour.Answered(succeeded);
        Remember(succeeded, error, at);
    }

    /// <summary>Counts the publish-to-acknowledgement latency of a purge the cache acknowledged.</summary>
    public void Acknowledged(TimeSpan latency) => _lastHour.Acknowledged(latency);

    /// <summary>Takes the last success and error from results an earlier engine recorded (oldest first), so that a restart does not blank them.</summary>
    public void Seed(IEnumerable<PurgeResult> results)
    {
        foreach (var result in results.Where(r => r.Endpoint == endpoint))
        {
            var succeeded = result.Outcome is PurgeOutcome.Purged or PurgeOutcome.NotCached && result.Confirmed != false;
            Remember(succeeded, result.Error ?? result.Outcome.ToString(), result.Time);
        }
    }

    /// <summary>Continues what the same cache's activity in an engine that stopped had recorded: its last hour, last success and last error.</summary>
    public void TakeOver(EndpointActivity previous)
    {
        _lastHour.TakeOver(previous._lastHour);
        var theirs = Volatile.Read(ref previous._lastSuccessTicks);
        if (theirs > Volatile.Read(ref _lastSuccessTicks))
        {
            Volatile.Write(ref _lastSuccessTicks, theirs);
        }

        // An error this engine saw already is newer; otherwise the stopped engine's stands.
        if (Volatile.Read(ref previous._lastError) is { } error)
        {
            Interlocked.CompareExchange(ref _lastError, error, null);
        }
    }

    public EndpointHealth Snapshot(CircuitBreaker breaker, JournalStatus journal)
    {
        var ticks = Volatile.Read(ref _lastSuccessTicks);
        var (circuit, openUntil) = breaker.Snapshot();
        return new(
            endpoint,
            ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero),
            Volatile.Read(ref _lastError),
            circuit,
            openUntil,
            journal,
            _lastHour.Snapshot());
    }

    private void Remember(bool succeeded, string? error, DateTimeOffset at)
    {
        if (succeeded)
        {
            // Two workers may write in the other order; a success a millisecond older is as good for the page.
            Volatile.Write(ref _lastSuccessTicks, at.UtcTicks);
            return;
        }

        var message = error ?? "failed";
        while (true)
        {
            var last = Volatile.Read(ref _lastError);
            var next = last is not null && last.Message == message
                ? last with { LastTime = at > last.LastTime ? at : last.LastTime, Count = last.Count + 1 }
                : new EndpointError(message, at, at, 1);
            if (Interlocked.CompareExchange(ref _lastError, next, last) == last)
            {
                return;
            }
        }
    }
}
