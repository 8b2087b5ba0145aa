using CachePurge.Core.Diagnostics;
using CachePurge.Core.Protocols;
using Microsoft.Extensions.Logging;

namespace CachePurge.Core.Dispatching;

/// <summary>
/// The purges one CDN accepted and completes later (<see cref="PurgeCompletion.ReportedLater"/>): each is asked about,
/// first when the CDN said (its <c>Retry-After</c>, Akamai's estimate) or after <see cref="FirstInterval"/>, then at
/// doubling intervals up to <see cref="MaxInterval"/>, unless the CDN's answer says when. Completed, its time is
/// recorded; failed, its targets are committed again. A CDN that cannot be reached is asked again, never given up.
/// One worker asks while something is pending and ends when nothing is, so that an idle site costs nothing. Kept in
/// memory only: after a restart the pending purges are not asked about again, though the CDN still carries them out.
/// </summary>
internal sealed class PendingCompletions : IAsyncDisposable
{
    public static readonly TimeSpan FirstInterval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(60);

    /// <summary>How many finished purges are kept for the admin pages.</summary>
    public const int RecentCapacity = 20;

    private readonly string _endpoint;
    private readonly int _maxItemsInProgress;
    private readonly Func<PurgeTicket, AttemptTimeout, ValueTask<CompletionPoll>> _ask;
    private readonly Func<CancellationToken, AttemptTimeout> _createTimeout;
    private readonly Action<IReadOnlyCollection<PurgeTarget>> _sendAgain;
    private readonly CachePurgeMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly List<TrackedPurge> _tracked = [];
    private readonly LinkedList<CdnPurgeCompleted> _recent = new();
    private readonly CancellationTokenSource _stopping = new();
    private TaskCompletionSource _changed = NewSignal();
    private TaskCompletionSource _room = NewSignal();
    private Task? _worker;
    private int _items;
    private bool _stopped;

    /// <param name="maxItemsInProgress">Items the CDN takes in progress at once (<see cref="BackendCapabilities.MaxItemsInProgress"/>); 0 for no limit.</param>
    /// <param name="ask">Asks the CDN where a purge stands, through the sender's timeouts and circuit breaker.</param>
    /// <param name="sendAgain">Commits again the targets of a purge the CDN gave up.</param>
    public PendingCompletions(
        string endpoint,
        int maxItemsInProgress,
        Func<PurgeTicket, AttemptTimeout, ValueTask<CompletionPoll>> ask,
        Func<CancellationToken, AttemptTimeout> createTimeout,
        Action<IReadOnlyCollection<PurgeTarget>> sendAgain,
        CachePurgeMetrics metrics,
        TimeProvider time,
        ILogger logger)
    {
        _endpoint = endpoint;
        _maxItemsInProgress = maxItemsInProgress;
        _ask = ask;
        _createTimeout = createTimeout;
        _sendAgain = sendAgain;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>Whether a worker is asking the CDN: only while a purge is pending.</summary>
    public bool IsScheduled
    {
        get
        {
            lock (_lock)
            {
                return _worker is not null;
            }
        }
    }

    /// <summary>How many items the pending purges carry.</summary>
    public int ItemsInProgress
    {
        get
        {
            lock (_lock)
            {
                return _items;
            }
        }
    }

    /// <summary>
    /// Starts tracking a purge the CDN accepted, carrying <paramref name="targets"/>, at <paramref name="sent"/>, in
    /// place of the <paramref name="reserved"/> items its call reserved (<see cref="WaitForRoomAsync"/>).
    /// </summary>
    public void Track(PurgeTicket ticket, IReadOnlyList<PurgeTarget> targets, DateTimeOffset sent, int reserved)
    {
        var first = ticket.Estimated is { } estimated && estimated > TimeSpan.Zero ? Min(estimated, MaxInterval * 10) : FirstInterval;
        lock (_lock)
        {
            if (_stopped)
            {
                return;
            }

            _tracked.Add(new TrackedPurge(ticket, targets, sent, first));
            _items += ticket.Items - reserved;
            if (_worker is null)
            {
                _worker = Task.Run(() => RunAsync(_stopping.Token));
            }
            else
            {
                _changed.TrySetResult();
            }
        }
    }

    /// <summary>
    /// Waits while the purges in progress (and the calls in flight) hold so many items that a call of
    /// <paramref name="items"/> more would pass the CDN's limit, then reserves them for the call, so that calls sent
    /// at once cannot pass it together; returns how many were reserved, for <see cref="Track"/> or <see cref="Release"/>.
    /// At once where there is no limit, or nothing is in progress.
    /// </summary>
    public async ValueTask<int> WaitForRoomAsync(int items, CancellationToken cancellationToken)
    {
        if (_maxItemsInProgress <= 0)
        {
            return 0;
        }

        while (true)
        {
            Task room;
            lock (_lock)
            {
                if (_items == 0 || _items + items <= _maxItemsInProgress)
                {
                    _items += items;
                    return items;
                }

                if (_room.Task.IsCompleted)
                {
                    _room = NewSignal();
                }

                room = _room.Task;
            }

            await room.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gives back what a call reserved and the CDN did not accept (or that was never sent).</summary>
    public void Release(int reserved)
    {
        if (reserved == 0)
        {
            return;
        }

        lock (_lock)
        {
            _items -= reserved;
            _room.TrySetResult();
        }
    }

    /// <summary>The pending purges, oldest first, and the recently finished, newest first.</summary>
    public CdnCompletions Snapshot()
    {
        lock (_lock)
        {
            return new CdnCompletions(
                _endpoint,
                [.. _tracked.OrderBy(t => t.Sent).Select(t => new CdnPurgeInProgress(t.Ticket.Id, t.Ticket.Items, t.Sent, t.Ticket.Estimated is { } e ? t.Sent + e : null, t.LastError))],
                [.. _recent]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task? worker;
        lock (_lock)
        {
            _stopped = true;
            worker = _worker;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);

        if (worker is not null)
        {
            await worker.ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        using var timeout = _createTimeout(stopping);
        try
        {
            while (true)
            {
                TrackedPurge? due;
                TimeSpan wait;
                Task changed;
                lock (_lock)
                {
                    // Decided under the lock that Track takes: a ticket tracked after this starts a new worker.
                    if (_tracked.Count == 0 || stopping.IsCancellationRequested)
                    {
                        _worker = null;
                        return;
                    }

                    var next = _tracked.MinBy(t => t.NextAsk)!;
                    wait = next.NextAsk - _time.GetUtcNow();
                    due = wait <= TimeSpan.Zero ? next : null;
                    if (_changed.Task.IsCompleted)
                    {
                        _changed = NewSignal();
                    }

                    changed = _changed.Task;
                }

                if (due is null)
                {
                    // A purge tracked meanwhile may be due sooner than the one waited for.
                    using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    var delay = Task.Delay(wait, _time, waiting.Token);
                    await Task.WhenAny(changed, delay).ConfigureAwait(false);
                    await waiting.CancelAsync().ConfigureAwait(false);
                    continue;
                }

                CompletionPoll poll;
                try
                {
                    poll = await _ask(due.Ticket, timeout).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
                {
                    // A question the protocol could not even make (a status URI it cannot use): asked again later, as
                    // one without an answer, rather than ending the worker and with it every other question.
                    poll = new CompletionPoll(new CompletionAnswer(CompletionStatus.InProgress, ex.Message));
                }

                Settle(due, poll);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            lock (_lock)
            {
                _worker = null;
            }
        }
    }

    private void Settle(TrackedPurge purge, CompletionPoll poll)
    {
        var now = _time.GetUtcNow();
        var answer = poll.Answer;
        if (answer.Status == CompletionStatus.InProgress)
        {
            lock (_lock)
            {
                purge.Interval = Min(purge.Interval * 2, MaxInterval);
                purge.NextAsk = now + (poll.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero ? Min(retryAfter, MaxInterval * 10) : purge.Interval);
                purge.LastError = answer.Error;
            }

            if (answer.Error is not null)
            {
                CachePurgeLog.CompletionUnknown(_logger, _endpoint, purge.Ticket.Id, answer.Error, (purge.NextAsk - now).TotalSeconds);
            }

            return;
        }

        var failed = answer.Status == CompletionStatus.Failed;
        var finished = new CdnPurgeCompleted(purge.Ticket.Id, purge.Ticket.Items, purge.Sent, now, failed ? answer.Error ?? "failed" : null);
        lock (_lock)
        {
            _tracked.Remove(purge);
            _items -= purge.Ticket.Items;
            _recent.AddFirst(finished);
            if (_recent.Count > RecentCapacity)
            {
                _recent.RemoveLast();
            }

            _room.TrySetResult();
        }

        _metrics.CompletionReported(_endpoint, finished.Duration, failed);
        if (failed)
        {
            CachePurgeLog.CompletionFailed(_logger, _endpoint, purge.Ticket.Id, finished.Failed!, purge.Targets.Count);
            _sendAgain(purge.Targets);
        }
        else
        {
            CachePurgeLog.Completed(_logger, _endpoint, purge.Ticket.Id, purge.Ticket.Items, finished.Duration.TotalSeconds);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
