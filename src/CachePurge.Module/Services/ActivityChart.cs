using CachePurge.Core;
using CachePurge.Module.ViewModels;

namespace CachePurge.Module.Services;

/// <summary>
/// Lays out the charts of one cache's last hour for inline SVG: the page needs no chart library and no script, and
/// the geometry is computed here, where it can be tested, rather than in Razor.
/// </summary>
public static class ActivityChart
{
    /// <summary>Purged and failed requests per minute, as stacked bars; <paramref name="index"/> is the cache's place on the page.</summary>
    public static CachePurgeChartViewModel PurgesPerMinute(string cache, int index, IReadOnlyList<MinuteActivity> minutes)
    {
        var max = NiceMax(minutes.Max(m => m.Succeeded + m.Failed));
        var slot = SlotWidth(minutes.Count);
        List<CachePurgeChartPoint> succeeded = [], failed = [];
        for (var i = 0; i < minutes.Count; i++)
        {
            var minute = minutes[i];
            var x = CachePurgeChartViewModel.Left + (i * slot);
            if (minute.Succeeded > 0)
            {
                succeeded.Add(new(minute.Start, minute.Succeeded, x, Y(minute.Succeeded, max), CachePurgeChartViewModel.Bottom));
            }

            if (minute.Failed > 0)
            {
                failed.Add(new(minute.Start, minute.Failed, x, Y(minute.Succeeded + minute.Failed, max), Y(minute.Succeeded, max)));
            }
        }

        return Chart(cache, index, CachePurgeChartKind.PurgesPerMinute, minutes, max, slot, [new("succeeded", "text-success", true, succeeded), new("failed", "text-danger", true, failed)]);
    }

    /// <summary>Publish-to-acknowledgement latency per minute, p50 and p95, as lines through the minutes that have one.</summary>
    public static CachePurgeChartViewModel Latency(string cache, int index, IReadOnlyList<MinuteActivity> minutes)
    {
        var max = NiceMax(minutes.Max(m => m.LatencyP95?.TotalMilliseconds ?? 0));
        var slot = SlotWidth(minutes.Count);
        List<CachePurgeChartPoint> p50 = [], p95 = [];
        for (var i = 0; i < minutes.Count; i++)
        {
            var minute = minutes[i];
            var x = CachePurgeChartViewModel.Left + ((i + 0.5) * slot);
            if (minute.LatencyP50 is { } median && minute.LatencyP95 is { } high)
            {
                p50.Add(new(minute.Start, median.TotalMilliseconds, x, Y(median.TotalMilliseconds, max), CachePurgeChartViewModel.Bottom));
                p95.Add(new(minute.Start, high.TotalMilliseconds, x, Y(high.TotalMilliseconds, max), CachePurgeChartViewModel.Bottom));
            }
        }

        return Chart(cache, index, CachePurgeChartKind.Latency, minutes, max, slot, [new("p50", "text-primary", false, p50), new("p95", "text-warning", false, p95)]);
    }

    /// <summary>The round number (1, 2 or 5 times a power of ten) at or above <paramref name="value"/>, so that the axis reads easily.</summary>
    public static double NiceMax(double value)
    {
        if (value <= 1)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1, 2, 5, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static CachePurgeChartViewModel Chart(string cache, int index, CachePurgeChartKind kind, IReadOnlyList<MinuteActivity> minutes, double max, double slot, IReadOnlyList<CachePurgeChartSeries> series) => new()
    {
        // By position: a cache's name may hold characters an id cannot.
        Id = $"cachepurge-{kind.ToString().ToLowerInvariant()}-{index}",
        Cache = cache,
        Kind = kind,
        Max = max,
        From = minutes.Count > 0 ? minutes[0].Start : default,
        To = minutes.Count > 0 ? minutes[^1].Start : default,
        Slot = slot,
        Series = series,
    };

    private static double SlotWidth(int minutes) => (CachePurgeChartViewModel.Right - CachePurgeChartViewModel.Left) / Math.Max(1, minutes);

    private static double Y(double value, double max) =>
        Math.Round(CachePurgeChartViewModel.Bottom - ((CachePurgeChartViewModel.Bottom - CachePurgeChartViewModel.Top) * Math.Min(value, max) / max), 2);
}
