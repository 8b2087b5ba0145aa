namespace CachePurge.Core.Protocols.Bunny;

/// <summary>The members of <c>GET /pullzone/{id}</c>'s answer the connection check reads.</summary>
internal sealed class BunnyPullZone
{
    public long Id { get; init; }

    public string? Name { get; init; }
}
