namespace CachePurge.Module.Models;

/// <summary>
/// What one node's engine of the tenant holds, as that node last wrote it to the tenant's database, so that the
/// operations page of any node can show every node's queues and health. The lease task writes it when it changed, and
/// otherwise now and then to say the node is still there.
/// </summary>
public sealed class PurgeNodeStatus
{
    /// <summary>The YesSql document id.</summary>
    public long Id { get; set; }

    /// <summary>The node (<see cref="Services.PurgeNode.Id"/>).</summary>
    public string Node { get; set; }

    public string MachineName { get; set; }

    public int ProcessId { get; set; }

    /// <summary>When the node last wrote this.</summary>
    public DateTime LastSeenUtc { get; set; }

    /// <summary>The node's engine's caches, in the order of its settings; empty while purging is off there.</summary>
    public List<PurgeNodeCacheStatus> Caches { get; set; } = [];
}
