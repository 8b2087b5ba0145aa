namespace CachePurge.Core;

/// <summary>
/// The purges one CDN that completes later (<see cref="PurgeDispatcher.GetCdnCompletions"/>) is still carrying out,
/// oldest first, and those it finished lately, newest first. Kept in memory: after a restart the pending ones are not
/// asked for again, though the CDN still carries them out.
/// </summary>
public sealed record CdnCompletions(string Endpoint, IReadOnlyList<CdnPurgeInProgress> Pending, IReadOnlyList<CdnPurgeCompleted> Completed)
{
    /// <summary>How many items (paths, URLs, tags) the pending purges carry.</summary>
    public int ItemsInProgress => Pending.Sum(p => p.Items);
}
