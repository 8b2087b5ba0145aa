namespace CachePurge.Module.Models;

/// <summary>
/// A write-only secret of a cache: stored protected with Data Protection, never shown, kept when left empty (from the
/// cache with the same name and kind), never exported. Every secret of a cache goes through the same code by this list.
/// </summary>
public sealed record CacheSecret(string Name, Func<CachePurgeCacheSettings, string> Get, Action<CachePurgeCacheSettings, string> Set)
{
    /// <summary>The API token (Akamai: the client secret), and Akamai's client and access tokens.</summary>
    public static IReadOnlyList<CacheSecret> All { get; } =
    [
        new(nameof(CachePurgeCacheSettings.ApiToken), c => c.ApiToken, (c, v) => c.ApiToken = v),
        new(nameof(CachePurgeCacheSettings.ClientToken), c => c.ClientToken, (c, v) => c.ClientToken = v),
        new(nameof(CachePurgeCacheSettings.AccessToken), c => c.AccessToken, (c, v) => c.AccessToken = v),
    ];
}
