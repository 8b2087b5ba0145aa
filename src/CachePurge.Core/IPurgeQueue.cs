namespace CachePurge.Core;

/// <summary>Accepts committed purges; never waits on the network.</summary>
public interface IPurgeQueue
{
    /// <summary>
    /// Takes <paramref name="targets"/> (already de-duplicated) for delivery to every cache, or only to <paramref name="endpoint"/>,
    /// and returns the commit number they were journaled under, or 0 when no cache takes any of them.
    /// </summary>
    long Enqueue(IReadOnlyCollection<PurgeTarget> targets, string? endpoint = null);
}
