using System.Threading.Channels;
using System.Threading.RateLimiting;
using CachePurge.Core.Diagnostics;
using CachePurge.Core.Journal;
using Microsoft.Extensions.Logging;

namespace CachePurge.Core.Dispatching;

/// <summary>
/// The purges waiting for one cache. A target is pending at most once (later commits coalesce into
/// it); workers, as many as the endpoint's concurrency, take targets from a ready channel, send them
/// at the endpoint's rate, and on failure put them back after a growing delay. Nothing leaves the
/// pending set except by acknowledgement, escalation or the dead-letter age.
/// </summary>
internal sealed class EndpointQueue : IAsyncDisposable
{
    private const int RefillPageSize = 5_000;
    private static readonly TimeSpan RefillRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>A cache that fails thousands of purges the same way, or a journal that keeps refusing reads, gets one warning per interval, which counts the rest.</summary>
    private static readonly TimeSpan FailureLogInterval = TimeSpan.FromMinutes(1);

    private readonly CacheEndpoint _endpoint;
    private readonly CachePurgeOptions _options;
    private readonly EndpointSender _sender;
    private readonly IPurgeJournal _journal;
    private readonly CachePurgeMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<long> _currentSequence;
    private readonly LatencyWindows _latency;
    private readonly LogThrottle _repeatedWarnings;
    private readonly Lock _lock = new();
    private readonly Dictionary<PurgeTarget, PendingPurge> _pending = [];
    private readonly Channel<PendingPurge> _ready = Channel.CreateUnbounded<PendingPurge>(new() { SingleWriter = false });
    private readonly Channel<PendingPurge> _readyTags = Channel.CreateUnbounded<PendingPurge>(new() { SingleWriter = false, SingleReader = true });
    private readonly RateLimiter? _rateLimiter;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _workers = [];
    private int _pendingPaths;
    private TaskCompletionSource _idle = NewIdleSignal();

    // Overflow: while set, new targets are left in the journal and read back in pages from _refillCursor.
    private bool _overflowing;
    private bool _refilling;
    private bool _refillFromStart;
    private JournalCursor _refillCursor;
    private int _overflowVersion;

    public EndpointQueue(CacheEndpoint endpoint, CachePurgeOptions options, EndpointSender sender, IPurgeJournal journal, CachePurgeMetrics metrics, LatencyWindows latency, TimeProvider time, ILogger logger, Func<long> currentSequence)
    {
        _latency = latency;
        _endpoint = endpoint;
        _options = options;
        _sender = sender;
        _journal = journal;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _currentSequence = currentSequence;
        _repeatedWarnings = new LogThrottle(time, FailureLogInterval);
        if (endpoint.RequestsPerSecond > 0)
        {
            _rateLimiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = Math.Max(1, endpoint.RequestsPerSecond / 10),
                TokensPerPeriod = Math.Max(1, endpoint.RequestsPerSecond / 10),
                ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
                QueueLimit = int.MaxValue,
                AutoReplenishment = true,
            });
        }

        _idle.TrySetResult();
    }

    public string Name => _endpoint.Name;

    public bool Supports(PurgeTargetKind kind) => _sender.Protocol.Supports(kind);

    /// <summary>Purges waiting for this cache; while some wait in the journal only, the journal counts them.</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                if (!_overflowing)
                {
                    return _pending.Count;
                }
            }

            return _journal.CountPending().GetValueOrDefault(Name);
        }
    }

    /// <summary>Starts the workers and reads back, in pages, the <paramref name="journaled"/> entries a previous run left.</summary>
    public void Start(int journaled)
    {
        lock (_lock)
        {
            if (journaled > 0)
            {
                _overflowing = true;
                _refillCursor = JournalCursor.Start;
                _idle = NewIdleSignal();
                StartRefill();
            }
        }

        for (var i = 0; i < _endpoint.MaxConcurrency; i++)
        {
            _workers.Add(Task.Run(() => RunPathWorkerAsync(_stopping.Token)));
        }

        _workers.Add(Task.Run(() => RunTagWorkerAsync(_stopping.Token)));
    }

    /// <summary>
    /// Reads the whole journal again, in pages, as at <see cref="Start"/>: it holds purges this queue may not have seen
    /// (it opened after the engine started without it, or was made again). What is pending already coalesces.
    /// </summary>
    public void ReplayJournal()
    {
        lock (_lock)
        {
            _overflowing = true;
            _refillFromStart = true;
            _overflowVersion++;
            if (_idle.Task.IsCompleted)
            {
                _idle = NewIdleSignal();
            }

            StartRefill();
        }
    }

    /// <summary>Adds a committed target; coalesces with one already pending. Never blocks on the network.</summary>
    public void Enqueue(PurgeTarget target, long sequence, DateTimeOffset committedAt, long timestamp)
    {
        lock (_lock)
        {
            if (Coalesce(target, sequence, timestamp))
            {
                return;
            }

            if (_overflowing || _pending.Count >= _options.MaxPendingInMemory)
            {
                // The journal already holds it; the refill reads it back when there is room.
                if (!_overflowing)
                {
                    _overflowing = true;
                    _refillCursor = JournalCursor.After(sequence - 1);
                }

                _overflowVersion++;
                return;
            }

            Add(new PendingPurge(target, sequence, committedAt, timestamp));
        }
    }

    /// <summary>Sends one path purge now, past the queue and the journal, and returns what the cache answered.</summary>
    public async Task<PurgeResult> ProbeAsync(string path, CancellationToken cancellationToken)
    {
        using var timeout = _sender.CreateTimeout(cancellationToken);
        var delivery = await _sender.SendAsync(PurgeTarget.ForPath(path), timeout).ConfigureAwait(false);
        return delivery.Result!;
    }

    /// <summary>Completes when nothing is pending, or when <paramref name="cancellationToken"/> fires.</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _ready.Writer.TryComplete();
        _readyTags.Writer.TryComplete();
        try
        {
            await Task.WhenAll(_workers).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _rateLimiter?.Dispose();
        _stopping.Dispose();
    }

    /// <summary>Replaces every waiting path by one purge of everything; the journal keeps the paths until that purge is acknowledged.</summary>
    private void Escalate(long sequence, DateTimeOffset committedAt, long timestamp)
    {
        CachePurgeLog.Escalated(_logger, Name, _pendingPaths, _options.EscalationThreshold);
        _metrics.Escalated(Name);
        foreach (var pending in _pending.Values.Where(p => p.Target.Kind == PurgeTargetKind.Path && p.State != PendingState.InFlight).ToList())
        {
            pending.State = PendingState.Superseded;
            Remove(pending);
        }

        if (!_pending.TryGetValue(PurgeTarget.Everything, out var everything))
        {
            everything = new PendingPurge(PurgeTarget.Everything, sequence, committedAt, timestamp);
            _pending.Add(PurgeTarget.Everything, everything);
            Ready(everything);
        }
        else if (everything.State == PendingState.InFlight)
        {
            everything.CommittedAgain = true;
        }
    }

    private void Ready(PendingPurge pending)
    {
        pending.State = PendingState.Queued;
        (pending.Target.Kind == PurgeTargetKind.Tag ? _readyTags : _ready).Writer.TryWrite(pending);
    }

    /// <summary>Merges a commit into the entry already pending for <paramref name="target"/>, if there is one.</summary>
    private bool Coalesce(PurgeTarget target, long sequence, long timestamp)
    {
        if (!_pending.TryGetValue(target, out var existing))
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
            _metrics.Coalesced(Name);
        }

        return true;
    }

    private void Add(PendingPurge pending)
    {
        _pending.Add(pending.Target, pending);
        if (_pending.Count == 1 && _idle.Task.IsCompleted)
        {
            _idle = NewIdleSignal();
        }

        Ready(pending);
        if (pending.Target.Kind == PurgeTargetKind.Path)
        {
            _pendingPaths++;
            if (_options.EscalationThreshold > 0 && _pendingPaths > _options.EscalationThreshold && Supports(PurgeTargetKind.Everything))
            {
                Escalate(pending.Sequence, pending.FirstCommitted, pending.CommittedTimestamp);
            }
        }
    }

    private void Remove(PendingPurge pending)
    {
        _pending.Remove(pending.Target);
        if (pending.Target.Kind == PurgeTargetKind.Path)
        {
            _pendingPaths--;
        }

        if (_overflowing)
        {
            if (_pending.Count <= _options.MaxPendingInMemory / 2)
            {
                StartRefill();
            }
        }
        else if (_pending.Count == 0)
        {
            _idle.TrySetResult();
        }
    }

    private void StartRefill()
    {
        if (!_refilling && !_stopping.IsCancellationRequested)
        {
            _refilling = true;
            _ = Task.Run(Refill);
        }
    }

    /// <summary>Reads journaled entries back into memory, page by page; a read that fails is tried again a little later.</summary>
    private void Refill()
    {
        try
        {
            RefillPages();
        }
        catch (Exception ex)
        {
            // A journal that cannot be read now (an I/O error) must not leave the backlog there until the next engine.
            lock (_lock)
            {
                _refilling = false;
            }

            if (!_stopping.IsCancellationRequested)
            {
                _metrics.JournalError();
                if (_repeatedWarnings.ShouldLog("4119", out var skipped))
                {
                    CachePurgeLog.BacklogReadFailed(_logger, ex, Name, RefillRetryDelay.TotalSeconds, skipped);
                }

                _ = RefillAgainAfterAsync();
            }
        }
    }

    private async Task RefillAgainAfterAsync()
    {
        try
        {
            await Task.Delay(RefillRetryDelay, _time, _stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            return;
        }

        lock (_lock)
        {
            StartRefill();
        }
    }

    /// <summary>Reads pages until the journal has no more than memory holds, or memory is full.</summary>
    private void RefillPages()
    {
        while (true)
        {
            JournalCursor cursor;
            int room;
            int version;
            lock (_lock)
            {
                room = _options.MaxPendingInMemory - _pending.Count;
                if (!_overflowing || room < _options.MaxPendingInMemory / 2 || _stopping.IsCancellationRequested)
                {
                    _refilling = false;
                    return;
                }

                if (_refillFromStart)
                {
                    _refillFromStart = false;
                    _refillCursor = JournalCursor.Start;
                }

                cursor = _refillCursor;
                version = _overflowVersion;
            }

            // Commits no longer wait for SQLite (they go to the commit log), so pages can be large enough that each read,
            // which first saves the log and the acknowledgements, is worth it; 5,000 references stay off the large-object heap.
            room = Math.Min(room, RefillPageSize);
            var page = _journal.LoadPage(Name, cursor, room);
            var timestamp = _time.GetTimestamp();
            lock (_lock)
            {
                foreach (var entry in page)
                {
                    if (!Coalesce(entry.Target, entry.Sequence, timestamp))
                    {
                        Add(new PendingPurge(entry.Target, entry.Sequence, entry.FirstCommitted, timestamp) { Attempts = entry.Attempts, LastError = entry.LastError });
                    }
                }

                if (page.Count > 0 && !_refillFromStart)
                {
                    _refillCursor = JournalCursor.At(page[^1]);
                }

                // Done only if no commit overflowed, and no replay was asked for, while the page was read: it might not be in the page.
                if (page.Count < room && version == _overflowVersion)
                {
                    _overflowing = false;
                    if (_pending.Count == 0)
                    {
                        _idle.TrySetResult();
                    }
                }
            }
        }
    }

    private async Task RunPathWorkerAsync(CancellationToken stopping)
    {
        using var timeout = _sender.CreateTimeout(stopping);
        await foreach (var pending in _ready.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
        {
            if (!TryStartFlight(pending, out var sequence))
            {
                continue;
            }

            await AcquireAsync(stopping).ConfigureAwait(false);
            var deliveredSequence = pending.Target.Kind == PurgeTargetKind.Everything ? _currentSequence() : sequence;
            var delivery = await _sender.SendAsync(pending.Target, timeout).ConfigureAwait(false);
            Finish(pending, delivery, deliveredSequence);
        }
    }

    private async Task RunTagWorkerAsync(CancellationToken stopping)
    {
        using var timeout = _sender.CreateTimeout(stopping);
        await foreach (var first in _readyTags.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
        {
            // Send every tag that is waiting together, split only where the header would grow too long.
            List<PendingPurge> batch = [first];
            while (_readyTags.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            var sequences = new Dictionary<PendingPurge, long>();
            foreach (var pending in batch)
            {
                if (TryStartFlight(pending, out var sequence))
                {
                    sequences[pending] = sequence;
                }
            }

            var inFlight = sequences.Keys.ToList();
            var offset = 0;
            foreach (var headerValue in TagHeaderSplitter.Split(inFlight.Select(p => p.Target.Value), _options.TagHeaderLimit))
            {
                var count = headerValue.Count(c => c == ' ') + 1;
                var chunk = inFlight.GetRange(offset, count);
                offset += count;
                await AcquireAsync(stopping).ConfigureAwait(false);
                var delivery = await _sender.SendTagsAsync(headerValue, timeout).ConfigureAwait(false);
                foreach (var pending in chunk)
                {
                    Finish(pending, delivery, sequences[pending]);
                }
            }
        }
    }

    private bool TryStartFlight(PendingPurge pending, out long sequence)
    {
        lock (_lock)
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

    private async ValueTask AcquireAsync(CancellationToken stopping)
    {
        if (_rateLimiter is not null)
        {
            using var lease = await _rateLimiter.AcquireAsync(1, stopping).ConfigureAwait(false);
        }
    }

    private void Finish(PendingPurge pending, Delivery delivery, long deliveredSequence)
    {
        if (delivery.Succeeded)
        {
            Acknowledge(pending, delivery, deliveredSequence);
        }
        else
        {
            Fail(pending, delivery);
        }
    }

    private void Acknowledge(PendingPurge pending, Delivery delivery, long deliveredSequence)
    {
        _journal.Complete(Name, pending.Target, deliveredSequence);
        long committed;
        lock (_lock)
        {
            committed = pending.CommittedTimestamp;
            if (pending.CommittedAgain)
            {
                Ready(pending);
            }
            else
            {
                Remove(pending);
            }
        }

        // Outside the lock: the other workers need it for their next purge, not for this one's numbers.
        var acknowledged = _time.GetElapsedTime(committed, delivery.AcknowledgedTimestamp);
        _metrics.Delivered(Name, acknowledged);
        _latency.Acknowledged.Add(acknowledged);
        _sender.Activity.Acknowledged(acknowledged);
        if (delivery.Confirmed == true)
        {
            var confirmed = _time.GetElapsedTime(committed);
            _metrics.Confirmed(Name, confirmed);
            _latency.Confirmed.Add(confirmed);
        }
    }

    private void Fail(PendingPurge pending, Delivery delivery)
    {
        var error = delivery.Error ?? delivery.Outcome.ToString();
        _journal.RecordFailure(Name, pending.Target, error);
        var now = _time.GetUtcNow();
        TimeSpan delay;
        lock (_lock)
        {
            pending.Attempts++;
            pending.LastError = error;
            if (now - pending.FirstCommitted >= _options.DeadLetterAfter)
            {
                CachePurgeLog.DeadLettered(_logger, Name, pending.Target.ToString(), _options.DeadLetterAfter, error);
                _metrics.DeadLettered(Name);
                _journal.DeadLetter(Name, pending.Target, error, now);
                pending.State = PendingState.Superseded;
                Remove(pending);
                return;
            }

            // A cache that refuses us will keep refusing until someone fixes it: don't hammer it.
            delay = delivery.Outcome == PurgeOutcome.Refused ? _options.MaxRedeliveryDelay : RedeliveryDelay(pending.Attempts);
            pending.State = PendingState.WaitingRetry;
        }

        if (delivery.Outcome == PurgeOutcome.Refused)
        {
            if (_repeatedWarnings.ShouldLog($"4103 {delivery.Status}", out var skipped))
            {
                CachePurgeLog.Refused(_logger, Name, pending.Target.ToString(), delivery.Status ?? 0, skipped);
            }
        }
        else if (_repeatedWarnings.ShouldLog("4102 " + error, out var skipped))
        {
            CachePurgeLog.DeliveryFailed(_logger, Name, pending.Target.ToString(), error, pending.Attempts, delay.TotalSeconds, skipped);
        }

        _ = RequeueAfterAsync(pending, delay);
    }

    private TimeSpan RedeliveryDelay(int attempts)
    {
        var exponential = _options.RedeliveryDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempts - 1, 20));
        var jittered = exponential * (0.8 + (Random.Shared.NextDouble() * 0.4));
        return TimeSpan.FromMilliseconds(Math.Min(jittered, _options.MaxRedeliveryDelay.TotalMilliseconds));
    }

    private async Task RequeueAfterAsync(PendingPurge pending, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _time, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_lock)
        {
            if (pending.State == PendingState.WaitingRetry)
            {
                Ready(pending);
            }
        }
    }

    private static TaskCompletionSource NewIdleSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
