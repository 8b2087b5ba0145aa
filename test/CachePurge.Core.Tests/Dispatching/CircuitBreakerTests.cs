using CachePurge.Core.Dispatching;
using Microsoft.Extensions.Time.Testing;

namespace CachePurge.Core.Tests.Dispatching;

public sealed class CircuitBreakerTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly List<(int Failures, int Attempts)> _opened = [];
    private int _closed;
    private readonly CircuitBreaker _breaker;

    public CircuitBreakerTests() => _breaker = new CircuitBreaker(_time, (failures, attempts) => _opened.Add((failures, attempts)), () => _closed++);

    [Fact]
    public void One_failure_among_many_successes_never_opens_the_circuit()
    {
        Report(successes: 100, failures: 0);
        _breaker.Report(failed: true, probe: false);
        Report(successes: 100, failures: 0);

        Assert.True(_breaker.IsClosed);
        Assert.Empty(_opened);
    }

    [Fact]
    public void Fewer_attempts_than_the_minimum_never_open_it_even_when_all_fail()
    {
        Report(successes: 0, failures: CircuitBreaker.MinimumThroughput - 1);

        Assert.True(_breaker.IsClosed);
    }

    [Fact]
    public void Failures_that_end_more_than_a_sampling_window_apart_are_not_counted_together()
    {
        Report(successes: 0, failures: CircuitBreaker.MinimumThroughput - 1);
        _time.Advance(CircuitBreaker.SamplingDuration);
        Report(successes: 0, failures: CircuitBreaker.MinimumThroughput - 1);

        Assert.True(_breaker.IsClosed);
    }

    [Fact]
    public async Task Half_of_the_attempts_failing_past_the_minimum_opens_it_and_senders_wait()
    {
        Report(successes: CircuitBreaker.MinimumThroughput / 2, failures: CircuitBreaker.MinimumThroughput / 2);

        Assert.False(_breaker.IsClosed);
        Assert.Equal([(CircuitBreaker.MinimumThroughput / 2, CircuitBreaker.MinimumThroughput)], _opened);
        var waiting = _breaker.WaitAsync(CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);
    }

    [Fact]
    public async Task After_a_one_second_break_one_sender_probes_and_its_success_lets_the_others_go()
    {
        Report(successes: 0, failures: CircuitBreaker.MinimumThroughput);
        var first = _breaker.WaitAsync(CancellationToken.None).AsTask();
        var second = _breaker.WaitAsync(CancellationToken.None).AsTask();

        _time.Advance(TimeSpan.FromSeconds(1));
        var probe = await Task.WhenAny(first, second);
        Assert.True(await probe);
        var other = probe == first ? second : first;
        await Task.Delay(50);
        Assert.False(other.IsCompleted);

        _breaker.Report(failed: false, probe: true);
        Assert.False(await other.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(_breaker.IsClosed);
        Assert.Equal(1, _closed);
    }

    [Fact]
    public async Task A_failed_probe_opens_it_for_another_break_without_saying_so_again()
    {
        Report(successes: 0, failures: CircuitBreaker.MinimumThroughput);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await _breaker.WaitAsync(CancellationToken.None));

        _breaker.Report(failed: true, probe: true);
        var next = _breaker.WaitAsync(CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(next.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Single(_opened);
        Assert.Equal(0, _closed);
    }

    [Fact]
    public async Task A_probe_abandoned_without_an_answer_lets_the_next_sender_probe()
    {
        Report(successes: 0, failures: CircuitBreaker.MinimumThroughput);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(await _breaker.WaitAsync(CancellationToken.None));
        var next = _breaker.WaitAsync(CancellationToken.None).AsTask();

        _breaker.Abandon(probe: true);

        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task A_sender_waiting_on_an_open_circuit_stops_when_cancelled()
    {
        Report(successes: 0, failures: CircuitBreaker.MinimumThroughput);
        using var stopping = new CancellationTokenSource();

        var waiting = _breaker.WaitAsync(stopping.Token).AsTask();
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
    }

    private void Report(int successes, int failures)
    {
        for (var i = 0; i < successes; i++)
        {
            _breaker.Report(failed: false, probe: false);
        }

        for (var i = 0; i < failures; i++)
        {
            _breaker.Report(failed: true, probe: false);
        }
    }
}
