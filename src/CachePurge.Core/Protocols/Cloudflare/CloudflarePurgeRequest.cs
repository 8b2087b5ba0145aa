namespace CachePurge.Core.Protocols.Cloudflare;

/// <summary>The body of <c>POST /client/v4/zones/{zone}/purge_cache</c>: exactly one of its members is set.</summary>
internal sealed class CloudflarePurgeRequest
{
    public IReadOnlyList<string>? Files { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public IReadOnlyList<string>? Hosts { get; init; }

    public IReadOnlyList<string>? Prefixes { get; init; }

    public bool? PurgeEverything { get; init; }
}
