namespace CachePurge.Module.ViewModels;

/// <summary>A small chart of one cache's last hour, laid out by <see cref="Services.ActivityChart"/> and drawn as inline SVG.</summary>
public sealed class CachePurgeChartViewModel
{
    public const int Width = 360;
    public const int Height = 120;

    /// <summary>The plot area, inside the room left for the axis labels.</summary>
    public const double Left = 44;
    public const double Right = Width - 4;
    public const double Top = 6;
    public const double Bottom = Height - 18;

    /// <summary>Unique on the page, for the SVG's title and description ids.</summary>
    public string Id { get; init; }

    public string Cache { get; init; }

    public CachePurgeChartKind Kind { get; init; }

    /// <summary>The value at the top of the axis (purges, or milliseconds): a round number at or above the largest value.</summary>
    public double Max { get; init; }

    /// <summary>The first and the current minute of the hour shown.</summary>
    public DateTimeOffset From { get; init; }

    public DateTimeOffset To { get; init; }

    /// <summary>The width of one minute's slot.</summary>
    public double Slot { get; init; }

    public IReadOnlyList<CachePurgeChartSeries> Series { get; init; } = [];
}
