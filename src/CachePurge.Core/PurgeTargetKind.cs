namespace CachePurge.Core;

/// <summary>What a purge removes from a cache.</summary>
public enum PurgeTargetKind
{
    /// <summary>One site path, on every site host.</summary>
    Path,

    /// <summary>Every page that carries a tag (Varnish xkey, surrogate keys).</summary>
    Tag,

    /// <summary>Every page of the site (Varnish BAN, nginx wildcard).</summary>
    Everything,
}
