namespace CachePurge.Core;

/// <summary>Accepts committed purges; never waits on the network.</summary>
public interface IPurgeQueue
{
    /// <summary>Takes <paramref name="targets"/> (already de-duplicated) for delivery to every cache, or only to <paramref name="endpoint"/>.</summary>
    void Enqueue(IReadOnlyCollection<PurgeTarget> targets, string? endpoint = null);
}
