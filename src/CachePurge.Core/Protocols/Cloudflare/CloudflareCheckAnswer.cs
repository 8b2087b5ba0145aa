namespace CachePurge.Core.Protocols.Cloudflare;

/// <summary>
/// The envelope of a read's answer with the <c>result</c> the connection check reads. Apart from
/// <see cref="CloudflareAnswer"/> so that a purge's answer is read whatever its <c>result</c> holds.
/// </summary>
internal sealed class CloudflareCheckAnswer
{
    public bool Success { get; init; }

    public IReadOnlyList<CloudflareMessage> Errors { get; init; } = [];

    public CloudflareResult? Result { get; init; }
}
