using CachePurge.Module.Indexes;
using CachePurge.Module.Models;
using YesSql;

namespace CachePurge.Module.Services;

/// <summary>Every node's <see cref="PurgeNodeStatus"/> in the tenant's database, through the scope's YesSql session.</summary>
public sealed class PurgeNodeStatusStore
{
    private readonly ISession _session;

    public PurgeNodeStatusStore(ISession session)
    {
        _session = session;
    }

    /// <summary>The status <paramref name="node"/> last wrote, or null.</summary>
    public Task<PurgeNodeStatus> FindAsync(string node) =>
        _session.Query<PurgeNodeStatus, PurgeNodeStatusIndex>(i => i.Node == node, PurgeIntentIndexProvider.Collection).FirstOrDefaultAsync();

    /// <summary>Writes <paramref name="status"/> and commits at once.</summary>
    public async Task SaveNowAsync(PurgeNodeStatus status)
    {
        await _session.SaveAsync(status, collection: PurgeIntentIndexProvider.Collection);
        await _session.SaveChangesAsync();
    }

    /// <summary>Removes the statuses last written before <paramref name="seenBefore"/>: nodes gone long ago.</summary>
    public async Task RemoveSeenBeforeAsync(DateTime seenBefore)
    {
        var gone = await _session.Query<PurgeNodeStatus, PurgeNodeStatusIndex>(i => i.LastSeenUtc < seenBefore, PurgeIntentIndexProvider.Collection).ListAsync();
        foreach (var status in gone)
        {
            _session.Delete(status, PurgeIntentIndexProvider.Collection);
        }

        await _session.SaveChangesAsync();
    }

    /// <summary>The statuses written since <paramref name="seenAfter"/>, one per node.</summary>
    public async Task<IReadOnlyList<PurgeNodeStatus>> ListSeenAfterAsync(DateTime seenAfter) =>
        [.. await _session.Query<PurgeNodeStatus, PurgeNodeStatusIndex>(i => i.LastSeenUtc >= seenAfter, PurgeIntentIndexProvider.Collection).ListAsync()];
}
