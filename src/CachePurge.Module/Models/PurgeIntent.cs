namespace CachePurge.Module.Models;

/// <summary>
/// The pages and tags one request's content changes make stale, saved in the tenant's database in the same transaction
/// as those changes: a request that fails saves neither, and a node that dies after the commit but before it handed
/// them to its engine leaves them here for <see cref="Services.PurgeIntentRecoveryTask"/> on any node.
/// </summary>
public sealed class PurgeIntent
{
    /// <summary>The YesSql document id.</summary>
    public long Id { get; set; }

    public DateTime CreatedUtc { get; set; }

    public HashSet<string> Urls { get; set; } = new(StringComparer.Ordinal);

    public HashSet<string> Tags { get; set; } = new(StringComparer.Ordinal);
}
