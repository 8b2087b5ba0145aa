namespace CachePurge.Core.Dispatching;

/// <summary>
/// One cache's circuit breaker. It opens when, within <see cref="SamplingDuration"/>, at least
/// <see cref="MinimumThroughput"/> attempts ended and at least <see cref="FailureRatio"/> of them failed: one bad
/// answer among many good ones never opens it. While it is open, senders wait rather than fail, so that purges held
/// back are neither counted as attempts nor logged one by one. After <see cref="BreakDuration"/> one attempt goes
/// out as a probe: its success closes the circuit, its failure opens it again for another break.
/// </summary>
internal sealed class CircuitBreaker
{
    public static readonly TimeSpan SamplingDuration = TimeSpan.FromSeconds(10);
    public const int MinimumThroughput = 20;
    public const double FailureRatio = 0.5;

    /// <summary>Short, so that a healthy cache is held back for about a second after a burst of failures; a cache that is down gets one probe a second.</summary>
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly Action<int, int> _opened;
    private readonly Action _closed;
    private readonly Lock _lock = new();
    private readonly long _samplingTicks;
    private int _state;
    private long _windowStart;
    private int _attempts;
    private int _failures;
    private long _openUntil;
    private TaskCompletionSource _probed = NewSignal();

    /// <param name="opened">Called, outside the lock, when the circuit opens after being closed, with the failures and attempts that opened it.</param>
    /// <param name="closed">Called, outside the lock, when a probe closes it.</param>
    public CircuitBreaker(TimeProvider time, Action<int, int> opened, Action closed)
    {
        _time = time;
        _opened = opened;
        _closed = closed;
        _samplingTicks = (long)(SamplingDuration.TotalSeconds * time.TimestampFrequency);
        _windowStart = time.GetTimestamp();
    }

    private enum State
    {
        Closed,
        Open,
        HalfOpen,
    }

    public bool IsClosed => Volatile.Read(ref _state) == (int)State.Closed;

    /// <summary>
    /// The state for the admin page, without the lock: an open circuit stays open, its break over or not, until the
    /// next attempt tests the cache, so <c>OpenUntil</c> may be past.
    /// </summary>
    public (CircuitState State, DateTimeOffset? OpenUntil) Snapshot()
    {
        switch ((State)Volatile.Read(ref _state))
        {
            case State.Open:
                var left = _time.GetElapsedTime(_time.GetTimestamp(), Volatile.Read(ref _openUntil));
                return (CircuitState.Open, _time.GetUtcNow() + left);
            case State.HalfOpen:
                return (CircuitState.HalfOpen, null);
            default:
                return (CircuitState.Closed, null);
        }
    }

    /// <summary>
    /// Completes when an attempt may go out: at once while the circuit is closed; otherwise when the break is over and
    /// this caller is the probe (true), or when a probe closed it. A probe must be followed by <see cref="Report"/> or
    /// <see cref="Abandon"/>.
    /// </summary>
    public ValueTask<bool> WaitAsync(CancellationToken cancellationToken) =>
        IsClosed ? ValueTask.FromResult(false) : WaitWhileOpenAsync(cancellationToken);

    /// <summary>Counts how an attempt ended; <paramref name="probe"/> as <see cref="WaitAsync"/> returned it.</summary>
    public void Report(bool failed, bool probe)
    {
        var now = _time.GetTimestamp();
        if (!failed && !probe && now - Volatile.Read(ref _windowStart) < _samplingTicks)
        {
            // The common case takes no lock: a success within the window.
            Interlocked.Increment(ref _attempts);
            return;
        }

        int opened = 0, attempts = 0;
        var closed = false;
        TaskCompletionSource? probed = null;
        lock (_lock)
        {
            if (probe)
            {
                if (_state != (int)State.HalfOpen)
                {
                    return;
                }

                probed = _probed;
                _probed = NewSignal();
                if (failed)
                {
                    Open(now);
                }
                else
                {
                    Volatile.Write(ref _state, (int)State.Closed);
                    StartWindow(now);
                    closed = true;
                }
            }
            else if (_state == (int)State.Closed)
            {
                if (now - _windowStart >= _samplingTicks)
                {
                    StartWindow(now);
                }

                attempts = Interlocked.Increment(ref _attempts);
                opened = failed ? ++_failures : 0;
                if (!failed || attempts < MinimumThroughput || opened < attempts * FailureRatio)
                {
                    opened = 0;
                }
                else
                {
                    Open(now);
                }
            }
        }

        probed?.TrySetResult();
        if (opened > 0)
        {
            _opened(opened, attempts);
        }
        else if (closed)
        {
            _closed();
        }
    }

    /// <summary>A probe that ended without an answer either way (its sender stopped): the next caller probes instead.</summary>
    public void Abandon(bool probe)
    {
        if (!probe)
        {
            return;
        }

        TaskCompletionSource probed;
        lock (_lock)
        {
            if (_state != (int)State.HalfOpen)
            {
                return;
            }

            Volatile.Write(ref _state, (int)State.Open);
            _openUntil = _time.GetTimestamp();
            probed = _probed;
            _probed = NewSignal();
        }

        probed.TrySetResult();
    }

    private async ValueTask<bool> WaitWhileOpenAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            TimeSpan wait;
            Task probed;
            lock (_lock)
            {
                if (_state == (int)State.Closed)
                {
                    return false;
                }

                var now = _time.GetTimestamp();
                if (_state == (int)State.Open && now >= _openUntil)
                {
                    Volatile.Write(ref _state, (int)State.HalfOpen);
                    return true;
                }

                wait = _state == (int)State.Open ? _time.GetElapsedTime(now, _openUntil) : Timeout.InfiniteTimeSpan;
                probed = _probed.Task;
            }

            // Woken by the end of the break, or by the probe's outcome.
            if (wait == Timeout.InfiniteTimeSpan)
            {
                await probed.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private void Open(long now)
    {
        Volatile.Write(ref _state, (int)State.Open);
        _openUntil = now + (long)(BreakDuration.TotalSeconds * _time.TimestampFrequency);
    }

    private void StartWindow(long now)
    {
        Volatile.Write(ref _windowStart, now);
        Volatile.Write(ref _attempts, 0);
        _failures = 0;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
