namespace CachePurge.Core.Protocols.Fastly;

/// <summary>The members of <c>GET /service/{id}</c>'s answer the connection check reads.</summary>
internal sealed class FastlyService
{
    public string? Id { get; init; }

    public string? Name { get; init; }
}
