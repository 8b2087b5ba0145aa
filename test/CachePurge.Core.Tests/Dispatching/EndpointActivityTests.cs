using CachePurge.Core.Dispatching;
using CachePurge.Core.Journal;
using Microsoft.Extensions.Time.Testing;

namespace CachePurge.Core.Tests.Dispatching;

/// <summary>One cache's health as the admin page shows it: last success, last error counted not repeated, circuit and journal.</summary>
public sealed class EndpointActivityTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 22, 0, 10, TimeSpan.Zero));
    private readonly EndpointActivity _activity;
    private readonly CircuitBreaker _breaker;

    public EndpointActivityTests()
    {
        _activity = new EndpointActivity("varnish", _time);
        _breaker = new CircuitBreaker(_time, (_, _) => { }, () => { });
    }

    [Fact]
    public void A_cache_that_answered_nothing_yet_has_no_success_no_error_and_a_closed_circuit()
    {
        var health = Health();

        Assert.Equal("varnish", health.Endpoint);
        Assert.Null(health.LastSuccess);
        Assert.Null(health.LastError);
        Assert.Equal(CircuitState.Closed, health.Circuit);
        Assert.Null(health.CircuitOpenUntil);
    }

    [Fact]
    public void The_same_error_again_is_counted_in_one_entry_with_its_first_and_last_time()
    {
        var first = _time.GetUtcNow();
        _activity.Answered(false, "connection refused", first);
        _time.Advance(TimeSpan.FromSeconds(5));
        _activity.Answered(false, "connection refused", _time.GetUtcNow());
        _activity.Answered(false, "connection refused", _time.GetUtcNow());

        Assert.Equal(new EndpointError("connection refused", first, first.AddSeconds(5), 3), Health().LastError);
    }

    [Fact]
    public void Another_error_starts_a_new_count_and_a_success_keeps_the_last_error()
    {
        _activity.Answered(false, "connection refused", _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(1));
        var failed = _time.GetUtcNow();
        _activity.Answered(false, "HTTP 503 Service Unavailable", failed);
        _time.Advance(TimeSpan.FromSeconds(1));
        var succeeded = _time.GetUtcNow();
        _activity.Answered(true, null, succeeded);

        var health = Health();

        Assert.Equal(new EndpointError("HTTP 503 Service Unavailable", failed, failed, 1), health.LastError);
        Assert.Equal(succeeded, health.LastSuccess);
        Assert.Equal((1, 2), (health.LastHour[^1].Succeeded, health.LastHour[^1].Failed));
    }

    [Fact]
    public void Results_of_an_earlier_engine_give_the_last_success_and_error_but_no_minutes()
    {
        var start = _time.GetUtcNow();
        _activity.Seed(
        [
            Result("varnish", start.AddSeconds(-30), PurgeOutcome.Failed, "connection refused"),
            Result("varnish", start.AddSeconds(-20), PurgeOutcome.Failed, "connection refused"),
            Result("varnish", start.AddSeconds(-10), PurgeOutcome.Purged, null),
            Result("squid", start.AddSeconds(-5), PurgeOutcome.Failed, "timeout"),
        ]);

        var health = Health();

        Assert.Equal(start.AddSeconds(-10), health.LastSuccess);
        Assert.Equal(new EndpointError("connection refused", start.AddSeconds(-30), start.AddSeconds(-20), 2), health.LastError);
        Assert.All(health.LastHour, m => Assert.Equal(0, m.Succeeded + m.Failed));
    }

    [Fact]
    public async Task An_open_circuit_shows_until_when_then_stays_open_past_its_break_until_an_attempt_tests_the_cache()
    {
        for (var i = 0; i < CircuitBreaker.MinimumThroughput; i++)
        {
            _breaker.Report(failed: true, probe: false);
        }

        var opened = _time.GetUtcNow();
        Assert.Equal((CircuitState.Open, opened + CircuitBreaker.BreakDuration), (Health().Circuit, Health().CircuitOpenUntil));

        _time.Advance(CircuitBreaker.BreakDuration * 3);
        Assert.Equal((CircuitState.Open, opened + CircuitBreaker.BreakDuration), (Health().Circuit, Health().CircuitOpenUntil));

        Assert.True(await _breaker.WaitAsync(CancellationToken.None));
        Assert.Equal((CircuitState.HalfOpen, (DateTimeOffset?)null), (Health().Circuit, Health().CircuitOpenUntil));

        _breaker.Report(failed: false, probe: true);
        Assert.Equal(CircuitState.Closed, Health().Circuit);
    }

    [Fact]
    public void The_journal_state_is_the_one_given()
    {
        var since = _time.GetUtcNow();
        var journal = new JournalStatus(since, "the disk is full", 3);

        Assert.Same(journal, _activity.Snapshot(_breaker, journal).Journal);
    }

    private EndpointHealth Health() => _activity.Snapshot(_breaker, JournalStatus.Writable);

    private static PurgeResult Result(string endpoint, DateTimeOffset time, PurgeOutcome outcome, string? error) =>
        new(time, endpoint, "/a", "www.example.com", outcome == PurgeOutcome.Purged ? 200 : null, outcome, TimeSpan.FromMilliseconds(3), error);
}
