namespace CachePurge.Core.Protocols.Cloudflare;

/// <summary>The envelope of every Cloudflare API answer: <c>{"success":…,"errors":[{"code":…,"message":…}],"messages":[],"result":…}</c>.</summary>
internal sealed class CloudflareAnswer
{
    public bool Success { get; init; }

    public IReadOnlyList<CloudflareMessage> Errors { get; init; } = [];
}
