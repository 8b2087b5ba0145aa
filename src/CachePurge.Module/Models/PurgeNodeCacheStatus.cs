namespace CachePurge.Module.Models;

/// <summary>
/// One cache as one node's engine sees it, in <see cref="PurgeNodeStatus"/>. A record so that the lease task can tell
/// whether anything changed since it last wrote, and write nothing when not.
/// </summary>
public sealed record PurgeNodeCacheStatus
{
    public string Name { get; set; }

    /// <summary>Purges waiting for this cache on that node.</summary>
    public int Pending { get; set; }

    /// <summary>Calls sent to the cache that it had not answered yet.</summary>
    public int CallsInFlight { get; set; }

    public DateTime? LastSuccessUtc { get; set; }

    /// <summary>The last error's message; null when none since the node's engine started.</summary>
    public string LastError { get; set; }

    public DateTime? LastErrorUtc { get; set; }

    /// <summary>How many requests in a row ended with <see cref="LastError"/>.</summary>
    public int LastErrorCount { get; set; }

    /// <summary>The circuit breaker's state (<see cref="Core.CircuitState"/>) by name.</summary>
    public string Circuit { get; set; }

    /// <summary>Whether that node's journal took writes.</summary>
    public bool JournalWritable { get; set; }
}
