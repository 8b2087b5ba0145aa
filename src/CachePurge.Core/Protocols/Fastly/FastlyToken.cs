namespace CachePurge.Core.Protocols.Fastly;

/// <summary>The member of <c>GET /tokens/self</c>'s answer the connection check reads: the token's space-delimited scopes.</summary>
internal sealed class FastlyToken
{
    public string? Scope { get; init; }
}
