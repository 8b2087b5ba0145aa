using CachePurge.Core.Diagnostics;
using Microsoft.Extensions.Time.Testing;

namespace CachePurge.Core.Tests.Diagnostics;

/// <summary>A cache's last hour, minute by minute: counted where the clock says, sixty minutes and no more.</summary>
public sealed class ActivityRingTests
{
    // Ten seconds into a minute, so that a few seconds' steps stay in it.
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 29, 22, 0, 10, TimeSpan.Zero));
    private readonly ActivityRing _ring;

    public ActivityRingTests() => _ring = new ActivityRing(_time);

    [Fact]
    public void An_idle_hour_is_sixty_empty_minutes_oldest_first_ending_with_the_current_one()
    {
        var minutes = _ring.Snapshot();

        Assert.Equal(ActivityRing.Minutes, minutes.Count);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 22, 0, 0, TimeSpan.Zero), minutes[^1].Start);
        Assert.Equal(new DateTimeOffset(2026, 11, 29, 21, 1, 0, TimeSpan.Zero), minutes[0].Start);
        Assert.All(minutes, m => Assert.Equal((0, 0, null, null), (m.Succeeded, m.Failed, m.LatencyP50, m.LatencyP95)));
    }

    [Fact]
    public void Requests_count_in_the_minute_the_clock_is_in()
    {
        Answer(succeeded: 3, failed: 1);
        _time.Advance(TimeSpan.FromMinutes(2));
        Answer(succeeded: 5, failed: 0);

        var minutes = _ring.Snapshot();

        Assert.Equal((5, 0), (minutes[^1].Succeeded, minutes[^1].Failed));
        Assert.Equal((0, 0), (minutes[^2].Succeeded, minutes[^2].Failed));
        Assert.Equal((3, 1), (minutes[^3].Succeeded, minutes[^3].Failed));
        Assert.Equal(9, minutes.Sum(m => m.Succeeded + m.Failed));
    }

    [Fact]
    public void A_minute_more_than_an_hour_old_is_gone_even_where_no_new_minute_took_its_slot()
    {
        Answer(succeeded: 4, failed: 0);
        _time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(4, _ring.Snapshot()[0].Succeeded);

        _time.Advance(TimeSpan.FromMinutes(1));

        Assert.All(_ring.Snapshot(), m => Assert.Equal(0, m.Succeeded));
    }

    [Fact]
    public void A_new_minute_in_a_reused_slot_starts_from_zero()
    {
        Answer(succeeded: 4, failed: 2);
        _ring.Acknowledged(TimeSpan.FromSeconds(30));
        _time.Advance(TimeSpan.FromMinutes(ActivityRing.Minutes));

        Answer(succeeded: 1, failed: 0);

        Assert.Equal((1, 0), (_ring.Snapshot()[^1].Succeeded, _ring.Snapshot()[^1].Failed));
        Assert.Null(_ring.Snapshot()[^1].LatencyP95);
    }

    [Fact]
    public void Latency_percentiles_are_per_minute()
    {
        foreach (var ms in new[] { 10, 10, 10, 10, 10, 10, 10, 10, 10, 500 })
        {
            _ring.Acknowledged(TimeSpan.FromMilliseconds(ms));
        }

        _time.Advance(TimeSpan.FromMinutes(1));
        _ring.Acknowledged(TimeSpan.FromMilliseconds(2_000));

        var minutes = _ring.Snapshot();

        AssertNear(10, minutes[^2].LatencyP50);
        AssertNear(500, minutes[^2].LatencyP95);
        AssertNear(2_000, minutes[^1].LatencyP50);
        AssertNear(2_000, minutes[^1].LatencyP95);
    }

    [Fact]
    public async Task Purges_counted_at_once_from_many_threads_are_all_counted()
    {
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                _ring.Answered(succeeded: true);
                _ring.Acknowledged(TimeSpan.FromMilliseconds(i % 100));
            }
        })));

        Assert.Equal(80_000, _ring.Snapshot()[^1].Succeeded);
    }

    [Fact]
    public void A_ring_taking_over_a_stopped_one_adds_up_the_minutes_both_counted_and_keeps_the_others()
    {
        var next = new ActivityRing(_time);
        Answer(succeeded: 2, failed: 1);
        _time.Advance(TimeSpan.FromMinutes(1));
        Answer(succeeded: 3, failed: 0);
        next.Answered(succeeded: true);

        next.TakeOver(_ring);

        var minutes = next.Snapshot();
        Assert.Equal((4, 0), (minutes[^1].Succeeded, minutes[^1].Failed));
        Assert.Equal((2, 1), (minutes[^2].Succeeded, minutes[^2].Failed));
    }

    private void Answer(int succeeded, int failed)
    {
        for (var i = 0; i < succeeded; i++)
        {
            _ring.Answered(succeeded: true);
        }

        for (var i = 0; i < failed; i++)
        {
            _ring.Answered(succeeded: false);
        }
    }

    private static void AssertNear(double expectedMs, TimeSpan? actual)
    {
        Assert.NotNull(actual);
        Assert.InRange(actual.Value.TotalMilliseconds, expectedMs * 0.9, expectedMs * 1.1);
    }
}
