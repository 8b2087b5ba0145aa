namespace CachePurge.Module.Models;

/// <summary>An extra request header sent with every purge to one cache.</summary>
public sealed class CachePurgeHeaderSettings
{
    public string Name { get; set; } = "";

    /// <summary>The value; for a secret header, protected with ASP.NET Data Protection while stored.</summary>
    public string Value { get; set; } = "";

    /// <summary>A secret (a token, a password) is never shown again and is protected at rest.</summary>
    public bool Secret { get; set; }
}
