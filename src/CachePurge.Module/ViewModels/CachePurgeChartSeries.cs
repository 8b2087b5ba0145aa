namespace CachePurge.Module.ViewModels;

/// <summary>One series of a chart: its minutes with a value, drawn as bars or as a line through points.</summary>
/// <param name="Name">A stable name (succeeded, failed, p50, p95) the view localizes and tests find.</param>
/// <param name="CssClass">A Bootstrap text colour class: the SVG draws in <c>currentColor</c>, so the admin theme's colours apply, dark mode included.</param>
public sealed record CachePurgeChartSeries(string Name, string CssClass, bool Bars, IReadOnlyList<CachePurgeChartPoint> Points);
