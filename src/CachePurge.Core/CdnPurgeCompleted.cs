namespace CachePurge.Core;

/// <summary>A purge a CDN reported done, or given up (then its targets were sent again), as the admin pages show it.</summary>
/// <param name="Id">The CDN's id for it.</param>
/// <param name="Items">How many paths (or URLs, tags) it carried.</param>
/// <param name="Sent">When the CDN accepted it.</param>
/// <param name="Completed">When the engine learnt it was done.</param>
/// <param name="Failed">The CDN's error when it gave the purge up; null when it completed.</param>
public sealed record CdnPurgeCompleted(string Id, int Items, DateTimeOffset Sent, DateTimeOffset Completed, string? Failed = null)
{
    /// <summary>How long the CDN took, from accepting the purge to the answer that it was done.</summary>
    public TimeSpan Duration => Completed - Sent;
}
