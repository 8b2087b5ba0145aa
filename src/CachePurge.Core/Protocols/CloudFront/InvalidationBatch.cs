namespace CachePurge.Core.Protocols.CloudFront;

/// <summary>
/// One <c>InvalidationBatch</c> as sent: its paths (collapsed or not) and its <c>CallerReference</c>, kept for the
/// retries of the same call (<paramref name="call"/>, its list of targets) until CloudFront answers it for good, so
/// that CloudFront, seeing the same reference and paths again after a timeout or a 5xx, answers with the invalidation
/// it may already have made instead of making (and charging) another.
/// </summary>
internal sealed class InvalidationBatch(IReadOnlyList<string> call, string callerReference, IReadOnlyList<string> paths)
{
    /// <summary>The call's list of targets, by which the sender's retries find this batch again.</summary>
    public IReadOnlyList<string> Call { get; } = call;

    public string CallerReference { get; } = callerReference;

    public IReadOnlyList<string> Paths { get; } = paths;

    /// <summary>Whether its paths are counted in the month's; taken back when CloudFront refuses the call.</summary>
    public bool Counted { get; set; }
}
