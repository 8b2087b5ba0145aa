using System.Net;
using System.Text.Json.Nodes;

namespace CachePurge.Testing.Cdn;

/// <summary>What a CDN contract server answers one call, and what it records of it.</summary>
public sealed record CdnAnswer(HttpStatusCode Status, JsonNode? Body, string Member = "", string[]? Items = null, bool Soft = false)
{
    /// <summary>An XML body (CloudFront's API) sent instead of <see cref="Body"/>.</summary>
    public string? Xml { get; init; }
}
