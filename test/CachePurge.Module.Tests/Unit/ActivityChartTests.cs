using CachePurge.Core;
using CachePurge.Module.Services;
using CachePurge.Module.ViewModels;

namespace CachePurge.Module.Tests.Unit;

/// <summary>The layout of the operations page's charts: round axes, a slot per minute, bars stacked, lines through the minutes that have a value.</summary>
public sealed class ActivityChartTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 21, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(3, 5)]
    [InlineData(7, 10)]
    [InlineData(10, 10)]
    [InlineData(11, 20)]
    [InlineData(180, 200)]
    [InlineData(201, 500)]
    [InlineData(5_001, 10_000)]
    [InlineData(8.7, 10)]
    public void The_axis_ends_at_a_round_number_at_or_above_the_largest_value(double largest, double max)
    {
        Assert.Equal(max, ActivityChart.NiceMax(largest));
    }

    [Fact]
    public void Each_minute_with_purges_is_a_bar_in_its_slot_with_failures_stacked_on_top()
    {
        var minutes = Hour((3, 6, 2), (59, 1, 0));

        var chart = ActivityChart.PurgesPerMinute("varnish", 0, minutes);

        Assert.Equal(10, chart.Max);
        Assert.Equal((Start, Start.AddMinutes(59)), (chart.From, chart.To));
        var slot = (CachePurgeChartViewModel.Right - CachePurgeChartViewModel.Left) / 60;
        var height = CachePurgeChartViewModel.Bottom - CachePurgeChartViewModel.Top;
        var succeeded = chart.Series.Single(s => s.Name == "succeeded").Points;
        var failed = Assert.Single(chart.Series.Single(s => s.Name == "failed").Points);
        Assert.Equal([Start.AddMinutes(3), Start.AddMinutes(59)], succeeded.Select(p => p.Minute));
        Assert.Equal(CachePurgeChartViewModel.Left + (3 * slot), succeeded[0].X, 6);
        Assert.Equal(CachePurgeChartViewModel.Bottom - (height * 0.6), succeeded[0].Top, 2);
        Assert.Equal(succeeded[0].Top, failed.Bottom);
        Assert.Equal(CachePurgeChartViewModel.Bottom - (height * 0.8), failed.Top, 2);
    }

    [Fact]
    public void Latency_lines_go_through_the_minutes_that_have_acknowledged_purges_only()
    {
        var minutes = Hour((10, 1, 0), (20, 1, 0));
        minutes[10] = minutes[10] with { LatencyP50 = TimeSpan.FromMilliseconds(40), LatencyP95 = TimeSpan.FromMilliseconds(90) };
        minutes[20] = minutes[20] with { LatencyP50 = TimeSpan.FromMilliseconds(300), LatencyP95 = TimeSpan.FromMilliseconds(1_200) };

        var chart = ActivityChart.Latency("varnish", 2, minutes);

        Assert.Equal(2_000, chart.Max);
        Assert.Equal("cachepurge-latency-2", chart.Id);
        Assert.Equal([40, 300], chart.Series.Single(s => s.Name == "p50").Points.Select(p => p.Value));
        Assert.Equal([90, 1_200], chart.Series.Single(s => s.Name == "p95").Points.Select(p => p.Value));
        Assert.All(chart.Series.SelectMany(s => s.Points), p => Assert.InRange(p.Top, CachePurgeChartViewModel.Top, CachePurgeChartViewModel.Bottom));
    }

    [Fact]
    public void An_idle_hour_draws_nothing_on_an_axis_of_one()
    {
        var chart = ActivityChart.PurgesPerMinute("varnish", 0, Hour());

        Assert.Equal(1, chart.Max);
        Assert.All(chart.Series, s => Assert.Empty(s.Points));
    }

    private static MinuteActivity[] Hour(params (int Minute, int Succeeded, int Failed)[] busy) =>
        [.. Enumerable.Range(0, 60).Select(i =>
        {
            var (_, succeeded, failed) = busy.FirstOrDefault(b => b.Minute == i);
            return new MinuteActivity(Start.AddMinutes(i), succeeded, failed, null, null);
        })];
}
