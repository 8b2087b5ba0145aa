namespace CachePurge.Core.Diagnostics;

/// <summary>
/// Logarithmic latency bins, four per doubling, from a quarter of a millisecond to about seventy minutes: a minute's
/// percentiles come from counters (no samples kept, no lock), within about 10 % of the exact value.
/// </summary>
internal static class LatencyBins
{
    private const int PerDoubling = 4;

    /// <summary>Bin 0 holds everything up to 2^-2 ms.</summary>
    private const int Offset = 2 * PerDoubling;

    /// <summary>The last bin holds everything from 2^22 ms (about seventy minutes) on.</summary>
    public const int Count = Offset + (22 * PerDoubling) + 1;

    public static int Of(TimeSpan latency)
    {
        var milliseconds = latency.TotalMilliseconds;
        return milliseconds <= 0 ? 0 : Math.Clamp((int)Math.Floor(Math.Log2(milliseconds) * PerDoubling) + Offset, 0, Count - 1);
    }

    /// <summary>The middle of bin <paramref name="bin"/> on the logarithmic scale, which errs least either way.</summary>
    public static TimeSpan Middle(int bin) => TimeSpan.FromMilliseconds(Math.Pow(2, (bin - Offset + 0.5) / PerDoubling));

    /// <summary>The <paramref name="quantile"/> (0–1) of the latencies counted in <paramref name="bins"/>, or null when none was.</summary>
    public static TimeSpan? Percentile(ReadOnlySpan<int> bins, double quantile)
    {
        long total = 0;
        foreach (var count in bins)
        {
            total += count;
        }

        if (total == 0)
        {
            return null;
        }

        // As LatencyWindow: the smallest value that at least this share of the samples does not exceed.
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var bin = 0; bin < bins.Length; bin++)
        {
            seen += bins[bin];
            if (seen >= rank)
            {
                return Middle(bin);
            }
        }

        return Middle(bins.Length - 1);
    }
}
