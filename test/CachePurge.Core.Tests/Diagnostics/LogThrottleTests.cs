using CachePurge.Core.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace CachePurge.Core.Tests.Diagnostics;

public sealed class LogThrottleTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void The_first_occurrence_is_logged_and_repeats_within_the_interval_are_only_counted()
    {
        var throttle = new LogThrottle(_time, TimeSpan.FromMinutes(1));

        Assert.True(throttle.ShouldLog("4108", out var skipped));
        Assert.Equal(0, skipped);
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(10));
            Assert.False(throttle.ShouldLog("4108", out _));
        }
    }

    [Fact]
    public void The_first_occurrence_after_the_interval_is_logged_with_the_count_left_out()
    {
        var throttle = new LogThrottle(_time, TimeSpan.FromMinutes(1));
        throttle.ShouldLog("4108", out _);
        for (var i = 0; i < 3; i++)
        {
            throttle.ShouldLog("4108", out _);
        }

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.True(throttle.ShouldLog("4108", out var skipped));
        Assert.Equal(3, skipped);
        Assert.False(throttle.ShouldLog("4108", out _));
    }

    [Fact]
    public void Different_keys_are_never_folded_into_one_line()
    {
        var throttle = new LogThrottle(_time, TimeSpan.FromMinutes(1));

        Assert.True(throttle.ShouldLog("4102 varnish", out _));
        Assert.True(throttle.ShouldLog("4102 squid", out _));
        Assert.False(throttle.ShouldLog("4102 varnish", out _));
    }

    [Fact]
    public void A_reset_returns_what_was_left_out_and_logs_the_next_occurrence_at_once()
    {
        var throttle = new LogThrottle(_time, TimeSpan.FromMinutes(1));
        throttle.ShouldLog("4108", out _);
        throttle.ShouldLog("4108", out _);
        throttle.ShouldLog("4108", out _);

        Assert.Equal(2, throttle.Reset("4108"));
        Assert.True(throttle.ShouldLog("4108", out var skipped));
        Assert.Equal(0, skipped);
        Assert.Equal(0, throttle.Reset("never seen"));
    }
}
