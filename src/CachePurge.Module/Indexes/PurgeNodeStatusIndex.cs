using YesSql.Indexes;

namespace CachePurge.Module.Indexes;

/// <summary>Which node a <see cref="Models.PurgeNodeStatus"/> is and when it was last seen, to find one's own and the gone.</summary>
public sealed class PurgeNodeStatusIndex : MapIndex
{
    public string Node { get; set; }

    public DateTime LastSeenUtc { get; set; }
}
