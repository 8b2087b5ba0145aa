namespace CachePurge.Core.Protocols.Cloudflare;

/// <summary>The members of an answer's <c>result</c> the engine reads: a token's <c>status</c>, a zone's <c>name</c>.</summary>
internal sealed class CloudflareResult
{
    public string? Id { get; init; }

    public string? Name { get; init; }

    public string? Status { get; init; }
}
