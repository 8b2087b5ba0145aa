namespace CachePurge.Core;

/// <summary>One problem with the purge settings: the setting it is about and why.</summary>
public sealed record CachePurgeOptionsError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
