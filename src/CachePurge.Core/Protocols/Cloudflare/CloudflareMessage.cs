namespace CachePurge.Core.Protocols.Cloudflare;

/// <summary>One entry of a Cloudflare answer's <c>errors</c>.</summary>
internal sealed class CloudflareMessage
{
    public int Code { get; init; }

    public string Message { get; init; } = "";
}
