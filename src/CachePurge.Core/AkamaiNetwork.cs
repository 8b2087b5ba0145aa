namespace CachePurge.Core;

/// <summary>The Akamai network a Fast Purge reaches: the last segment of its path.</summary>
public enum AkamaiNetwork
{
    /// <summary>The staging network, where property changes are tried before activation.</summary>
    Staging,

    /// <summary>The production network, which visitors reach.</summary>
    Production,
}
