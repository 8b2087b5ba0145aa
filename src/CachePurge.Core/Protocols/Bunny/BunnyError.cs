namespace CachePurge.Core.Protocols.Bunny;

/// <summary>bunny.net's error body (https://docs.bunny.net/api-reference/core/errors): <c>{"ErrorKey":"pullZone.not_found","Field":"PullZone","Message":"…"}</c>.</summary>
internal sealed class BunnyError
{
    public string? ErrorKey { get; init; }

    public string? Field { get; init; }

    public string? Message { get; init; }
}
