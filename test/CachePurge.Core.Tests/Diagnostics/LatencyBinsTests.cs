using CachePurge.Core.Diagnostics;

namespace CachePurge.Core.Tests.Diagnostics;

/// <summary>Latencies counted in bins come back within 10 % of what they were, from a millisecond to an hour.</summary>
public sealed class LatencyBinsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3.7)]
    [InlineData(12)]
    [InlineData(250)]
    [InlineData(999)]
    [InlineData(4_321)]
    [InlineData(60_000)]
    [InlineData(3_600_000)]
    public void A_latency_comes_back_within_ten_percent(double milliseconds)
    {
        var back = LatencyBins.Middle(LatencyBins.Of(TimeSpan.FromMilliseconds(milliseconds)));

        Assert.InRange(back.TotalMilliseconds, milliseconds * 0.9, milliseconds * 1.1);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(1e12)]
    public void Latencies_out_of_range_fall_in_the_first_or_last_bin(double milliseconds)
    {
        Assert.InRange(LatencyBins.Of(TimeSpan.FromMilliseconds(milliseconds)), 0, LatencyBins.Count - 1);
    }

    [Fact]
    public void No_samples_have_no_percentile()
    {
        Assert.Null(LatencyBins.Percentile(new int[LatencyBins.Count], 0.5));
    }

    [Fact]
    public void The_95th_percentile_of_twenty_samples_is_the_nineteenth()
    {
        var bins = new int[LatencyBins.Count];
        for (var ms = 1; ms <= 20; ms++)
        {
            bins[LatencyBins.Of(TimeSpan.FromMilliseconds(ms * 100))]++;
        }

        Assert.InRange(LatencyBins.Percentile(bins, 0.95)!.Value.TotalMilliseconds, 1_900 * 0.9, 1_900 * 1.1);
        Assert.InRange(LatencyBins.Percentile(bins, 0.50)!.Value.TotalMilliseconds, 1_000 * 0.9, 1_000 * 1.1);
    }
}
