using CachePurge.Module.Models;

namespace CachePurge.Module.Services;

/// <summary>Decides whether a request's purge intent is kept, and makes it this node's before it is saved.</summary>
public interface IPurgeIntentClaim
{
    /// <summary>
    /// Stamps <paramref name="intent"/> as this node's, with its lease, and returns true; false while purging is off or
    /// not configured, when nothing will be sent and nothing need be kept.
    /// </summary>
    Task<bool> TryClaimAsync(PurgeIntent intent);
}
