namespace CachePurge.Core.Protocols.CloudFront;

/// <summary>
/// One <c>InvalidationBatch</c> as sent: its paths (collapsed or not) and its <c>CallerReference</c>, kept for the
/// retries of the same call so that CloudFront, seeing the same reference and paths again, answers with the
/// invalidation it already made instead of making (and charging) another.
/// </summary>
internal sealed class InvalidationBatch(string callerReference, IReadOnlyList<string> paths)
{
    public string CallerReference { get; } = callerReference;

    public IReadOnlyList<string> Paths { get; } = paths;

    /// <summary>Whether its paths are counted in the month's; taken back when CloudFront refuses the call.</summary>
    public bool Counted { get; set; }
}
