namespace CachePurge.Core.Dispatching;

internal enum PendingState
{
    /// <summary>In the ready queue, waiting for a worker.</summary>
    Queued,

    /// <summary>A worker is sending it.</summary>
    InFlight,

    /// <summary>Failed; a timer puts it back in the ready queue.</summary>
    WaitingRetry,

    /// <summary>Replaced by a purge of everything; workers skip it.</summary>
    Superseded,
}
