namespace CachePurge.Bench;

/// <summary>One row's measurements over the rounds of a run; the report uses the median, and shows the spread.</summary>
internal sealed class Samples
{
    private readonly List<Throughput> _runs = [];

    public void Add(Throughput run) => _runs.Add(run);

    public long Requests => _runs.Sum(r => r.Requests);

    public double Median => Sorted()[_runs.Count / 2];

    public double Min => Sorted()[0];

    public double Max => Sorted()[^1];

    private double[] Sorted() => [.. _runs.Select(r => r.PerSecond).Order()];
}
