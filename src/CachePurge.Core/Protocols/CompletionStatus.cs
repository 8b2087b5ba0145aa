namespace CachePurge.Core.Protocols;

/// <summary>Where a purge accepted by a backend that completes later stands.</summary>
internal enum CompletionStatus
{
    /// <summary>Still in progress at the backend: ask again later.</summary>
    InProgress,

    /// <summary>Done: the pages are gone from every edge.</summary>
    Completed,

    /// <summary>The backend gave up on it: the purge must be sent again.</summary>
    Failed,
}
