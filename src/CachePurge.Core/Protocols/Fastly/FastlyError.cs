namespace CachePurge.Core.Protocols.Fastly;

/// <summary>Fastly's error body: <c>{"msg":"Provided credentials are missing or invalid","detail":"…"}</c>.</summary>
internal sealed class FastlyError
{
    public string? Msg { get; init; }

    public string? Detail { get; init; }
}
