namespace CachePurge.Bench;

internal sealed record LatencyPercentiles(double P50, double P99, double Max)
{
    public static LatencyPercentiles From(double[] microseconds)
    {
        var sorted = microseconds.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new LatencyPercentiles(At(0.50), At(0.99), sorted[^1]);
    }
}
