using CachePurge.Core.Diagnostics;
using CachePurge.Core.Journal;
using CachePurge.Core.Protocols;
using Microsoft.Extensions.Logging;

namespace CachePurge.Core.Dispatching;

/// <summary>
/// The purges waiting for one cache. A target is pending at most once (<see cref="PendingPurges"/> coalesces later
/// commits into it); workers, as many as the endpoint's concurrency, take targets from the <see cref="ReadyQueues"/>,
/// send them within the rate limits the backend declares (<see cref="PurgeRateBudget"/>), several to a call where it
/// takes them (<see cref="BatchWorker"/>), and on failure hand them to <see cref="Redelivery"/>. Nothing leaves the pending set except by acknowledgement, <see cref="Escalation"/> or
/// <see cref="DeadLetters"/>; beyond the memory bound, purges wait in the journal (<see cref="JournalRefill"/>).
/// </summary>
internal sealed class EndpointQueue : IAsyncDisposable
{
    /// <summary>A cache that fails thousands of purges the same way, or a journal that keeps refusing reads, gets one warning per interval, which counts the rest.</summary>
    private static readonly TimeSpan FailureLogInterval = TimeSpan.FromMinutes(1);

    private readonly CacheEndpoint _endpoint;
    private readonly CachePurgeOptions _options;
    private readonly EndpointSender _sender;
    private readonly IPurgeJournal _journal;
    private readonly CachePurgeMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly Func<long> _currentSequence;
    private readonly LatencyWindows _latency;
    private readonly PendingPurges _pending;
    private readonly ReadyQueues _ready;
    private readonly CallSizes _sizes;
    private readonly IdleSignal _idle = new();
    private readonly PurgeRateBudget _rate;
    private readonly Escalation _escalation;
    private readonly Redelivery _redelivery;
    private readonly JournalRefill _refill;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _workers = [];

    public EndpointQueue(CacheEndpoint endpoint, CachePurgeOptions options, EndpointSender sender, IPurgeJournal journal, CachePurgeMetrics metrics, LatencyWindows latency, TimeProvider time, ILogger logger, Func<long> currentSequence, Action<PurgeFailure> reportFailure)
    {
        _latency = latency;
        _endpoint = endpoint;
        _options = options;
        _sender = sender;
        _journal = journal;
        _metrics = metrics;
        _time = time;
        _currentSequence = currentSequence;
        var repeatedWarnings = new LogThrottle(time, FailureLogInterval);
        _pending = new PendingPurges(endpoint.Name, metrics);
        var capabilities = sender.Protocol.Capabilities;
        _ready = new ReadyQueues(capabilities);
        _sizes = new CallSizes(capabilities, sender.HostCount, endpoint.Schemes.Count, options.TagHeaderLimit);
        _rate = new PurgeRateBudget(endpoint.Name, capabilities, _sizes.MaxUrlsPerCall, metrics, time);
        _escalation = new Escalation(endpoint.Name, options, capabilities.Supports(PurgeTargetKind.Everything), _sizes.PathsPerCall, _pending, _ready, metrics, logger, Remove);
        var deadLetters = new DeadLetters(endpoint.Name, options, journal, metrics, logger);
        _redelivery = new Redelivery(endpoint.Name, capabilities.Addressing != PageAddressing.PathWithHostHeader, options, _pending, _ready, deadLetters, journal, time, repeatedWarnings, logger, Remove, reportFailure, _stopping.Token);
        _refill = new JournalRefill(endpoint.Name, options, _pending, _idle, journal, metrics, time, repeatedWarnings, logger, Add, _stopping.Token);
    }

    public string Name => _endpoint.Name;

    public bool Supports(PurgeTargetKind kind) => _sender.Protocol.Supports(kind);

    /// <summary>What this cache purges for <paramref name="target"/>: it, one that covers it, or null (see <see cref="CacheProtocol.Cover"/>).</summary>
    public PurgeTarget? Cover(PurgeTarget target) => _sender.Protocol.Cover(target);

    /// <summary>Purges waiting for this cache; while some wait in the journal only, the journal counts them.</summary>
    public int PendingCount
    {
        get
        {
            lock (_pending.Sync)
            {
                if (!_refill.Overflowing)
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
        lock (_pending.Sync)
        {
            if (journaled > 0)
            {
                _idle.Reset();
                _refill.BeginAtStart();
            }
        }

        // Where paths travel several to a call, the calls in flight are batch workers', and a purge of everything is
        // the single worker's only work; else each concurrent request is a single worker's.
        var batchesPaths = _sender.Protocol.Capabilities.BatchesPaths;
        for (var i = 0; i < (batchesPaths ? 1 : _endpoint.MaxConcurrency); i++)
        {
            Run(new PathWorker(_ready.Single, _pending, _rate, _sizes, _sender, _currentSequence, Finish).RunAsync);
        }

        for (var i = 0; i < (batchesPaths ? _endpoint.MaxConcurrency : 0); i++)
        {
            Run(new BatchWorker(PurgeTargetKind.Path, _ready.BatchedPaths, _sizes, _pending, _rate, _sender, Finish).RunAsync);
        }

        Run(new BatchWorker(PurgeTargetKind.Tag, _ready.Tags, _sizes, _pending, _rate, _sender, Finish).RunAsync);
    }

    /// <summary>
    /// Reads the whole journal again, in pages, as at <see cref="Start"/>: it holds purges this queue may not have seen
    /// (it opened after the engine started without it, or was made again). What is pending already coalesces.
    /// </summary>
    public void ReplayJournal()
    {
        lock (_pending.Sync)
        {
            _idle.Reset();
            _refill.Replay();
        }
    }

    /// <summary>Adds a committed target; coalesces with one already pending. Never blocks on the network.</summary>
    public void Enqueue(PurgeTarget target, long sequence, DateTimeOffset committedAt, long timestamp)
    {
        lock (_pending.Sync)
        {
            if (_pending.TryCoalesce(target, sequence, timestamp) || _refill.TryLeaveInJournal(sequence))
            {
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

    /// <summary>Checks the cache's credentials without purging; null when it has no such check.</summary>
    /// <summary>Each of the cache's rate limits, with the tokens left now and how long its calls waited for them.</summary>
    public IReadOnlyList<RateBucketUse> RateBudget() => _rate.Snapshot();

    public Task<ConnectionCheck?> CheckConnectionAsync(CancellationToken cancellationToken) => _sender.CheckConnectionAsync(cancellationToken);

    /// <summary>Completes when nothing is pending, or when <paramref name="cancellationToken"/> fires.</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        lock (_pending.Sync)
        {
            return _idle.Task.WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _ready.Complete();
        try
        {
            await Task.WhenAll(_workers).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _rate.Dispose();
        _stopping.Dispose();
    }

    private void Run(Func<CancellationToken, Task> worker) => _workers.Add(Task.Run(() => worker(_stopping.Token)));

    /// <summary>Holds a new entry and queues it for sending; called under the lock.</summary>
    private void Add(PendingPurge pending)
    {
        _pending.Add(pending);
        if (_pending.Count == 1)
        {
            _idle.Reset();
        }

        _ready.Ready(pending);
        if (pending.Target.Kind == PurgeTargetKind.Path)
        {
            _escalation.PathAdded(pending);
        }
    }

    /// <summary>Lets go of an entry; called under the lock.</summary>
    private void Remove(PendingPurge pending)
    {
        _pending.Remove(pending);
        if (_refill.Overflowing)
        {
            _refill.Removed();
        }
        else if (_pending.Count == 0)
        {
            _idle.Set();
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
            _redelivery.Fail(pending, delivery);
        }
    }

    private void Acknowledge(PendingPurge pending, Delivery delivery, long deliveredSequence)
    {
        _journal.Complete(Name, pending.Target, deliveredSequence);
        long committed;
        lock (_pending.Sync)
        {
            committed = pending.CommittedTimestamp;
            if (pending.CommittedAgain)
            {
                _ready.Ready(pending);
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
}
