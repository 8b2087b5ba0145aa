using CachePurge.Module.Indexes;
using CachePurge.Module.Models;
using CachePurge.Module.ViewModels;
using YesSql;

namespace CachePurge.Module.Services;

/// <summary>The purge intents of the tenant's database, through the scope's YesSql session, in a collection of their own.</summary>
public sealed class PurgeIntentStore : IPurgeIntentStore
{
    private readonly ISession _session;

    public PurgeIntentStore(ISession session)
    {
        _session = session;
    }

    // YesSql serializes a document when it flushes the session, so the intent may still grow after this call.
    public Task SaveAsync(PurgeIntent intent) => _session.SaveAsync(intent, collection: PurgeIntentIndexProvider.Collection);

    public async Task SaveNowAsync(PurgeIntent intent)
    {
        await _session.SaveAsync(intent, collection: PurgeIntentIndexProvider.Collection);
        await _session.SaveChangesAsync();
    }

    public async Task DeleteAsync(long id)
    {
        _session.Delete(new PurgeIntent { Id = id }, PurgeIntentIndexProvider.Collection);
        await _session.SaveChangesAsync();
    }

    public async Task SettleAsync(IEnumerable<PurgeIntent> settled, IEnumerable<PurgeIntent> renewed)
    {
        foreach (var intent in settled)
        {
            _session.Delete(intent, PurgeIntentIndexProvider.Collection);
        }

        foreach (var intent in renewed)
        {
            await _session.SaveAsync(intent, collection: PurgeIntentIndexProvider.Collection);
        }

        await _session.SaveChangesAsync();
    }

    public async Task<IReadOnlyList<PurgeIntent>> ListUnansweredAsync(DateTime savedBefore, DateTime now, string self, int limit) =>
        (await _session.Query<PurgeIntent, PurgeIntentIndex>(
                i => (i.Owner == null && i.CreatedUtc < savedBefore) || (i.Owner != null && i.Owner != self && i.LeaseUntilUtc < now),
                PurgeIntentIndexProvider.Collection)
            .OrderBy(i => i.CreatedUtc)
            .Take(limit)
            .ListAsync()).ToList();

    public async Task<IReadOnlyList<PurgeIntent>> ListOwnedAsync(string owner) =>
        (await _session.Query<PurgeIntent, PurgeIntentIndex>(i => i.Owner == owner, PurgeIntentIndexProvider.Collection).ListAsync()).ToList();

    public Task<int> CountAsync() => _session.QueryIndex<PurgeIntentIndex>(PurgeIntentIndexProvider.Collection).CountAsync();

    // Index rows only: a few columns each, and as many as purges wait, which is few unless a cache is down.
    public async Task<IReadOnlyList<PurgeIntentHolder>> ListHoldersAsync() =>
        [.. (await _session.QueryIndex<PurgeIntentIndex>(PurgeIntentIndexProvider.Collection).ListAsync())
            .GroupBy(i => i.Owner)
            .Select(g => new PurgeIntentHolder(g.Key, g.Count(), g.Min(i => i.CreatedUtc), g.Max(i => i.LeaseUntilUtc), g.Key == PurgeNode.Id))
            .OrderByDescending(h => h.IsThisNode)
            .ThenBy(h => h.Node, StringComparer.Ordinal)];
}
