namespace CachePurge.Module.ViewModels;

/// <summary>One minute of a series, with where it is drawn in the chart's coordinates (y grows downwards, as in SVG).</summary>
/// <param name="Value">What the minute counted: purges, or milliseconds.</param>
/// <param name="Bottom">Where a stacked bar starts; the line of a line series goes through <paramref name="Top"/> alone.</param>
public sealed record CachePurgeChartPoint(DateTimeOffset Minute, double Value, double X, double Top, double Bottom);
