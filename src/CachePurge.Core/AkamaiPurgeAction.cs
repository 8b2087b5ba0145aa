namespace CachePurge.Core;

/// <summary>What an Akamai Fast Purge does to the objects it names.</summary>
public enum AkamaiPurgeAction
{
    /// <summary>Marks them stale: the edge asks the origin again (If-Modified-Since) before serving them. Akamai's advice.</summary>
    Invalidate,

    /// <summary>Removes them: the edge fetches them in full, and has nothing to serve if the origin fails.</summary>
    Delete,
}
