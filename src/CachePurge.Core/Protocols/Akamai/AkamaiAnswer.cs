namespace CachePurge.Core.Protocols.Akamai;

/// <summary>
/// What Fast Purge answers, a purge's <c>201</c> (<c>purgeId</c>, <c>estimatedSeconds</c>, <c>supportId</c>) or a
/// problem (<c>title</c>, <c>detail</c>, <c>httpStatus</c>; the EdgeGrid gateway's own problems say <c>status</c>).
/// </summary>
internal sealed class AkamaiAnswer
{
    public string? PurgeId { get; init; }

    public int? EstimatedSeconds { get; init; }

    public string? SupportId { get; init; }

    public string? Title { get; init; }

    public string? Detail { get; init; }
}
