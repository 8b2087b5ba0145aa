using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.ViewModels;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>Purge intents in memory, for unit tests of what a request saves.</summary>
public sealed class FakePurgeIntentStore : IPurgeIntentStore
{
    public List<PurgeIntent> Saved { get; } = [];

    public Task SaveAsync(PurgeIntent intent)
    {
        if (!Saved.Contains(intent))
        {
            Saved.Add(intent);
        }

        return Task.CompletedTask;
    }

    public Task DeleteAsync(long id)
    {
        Saved.RemoveAll(i => i.Id == id);
        return Task.CompletedTask;
    }

    public Task SaveNowAsync(PurgeIntent intent) => SaveAsync(intent);

    public Task SettleAsync(IEnumerable<PurgeIntent> settled, IEnumerable<PurgeIntent> renewed)
    {
        foreach (var intent in settled.ToList())
        {
            Saved.Remove(intent);
        }

        foreach (var intent in renewed)
        {
            SaveAsync(intent);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PurgeIntent>> ListUnansweredAsync(DateTime savedBefore, DateTime now, string self, int limit) =>
        Task.FromResult<IReadOnlyList<PurgeIntent>>(
            Saved.Where(i => (i.Owner is null && i.CreatedUtc < savedBefore) || (i.Owner is not null && i.Owner != self && i.LeaseUntilUtc < now)).Take(limit).ToList());

    public Task<IReadOnlyList<PurgeIntent>> ListOwnedAsync(string owner) =>
        Task.FromResult<IReadOnlyList<PurgeIntent>>(Saved.Where(i => i.Owner == owner).ToList());

    public Task<int> CountAsync() => Task.FromResult(Saved.Count);

    public Task<IReadOnlyList<PurgeIntentHolder>> ListHoldersAsync() =>
        Task.FromResult<IReadOnlyList<PurgeIntentHolder>>(
            [.. Saved.GroupBy(i => i.Owner).Select(g => new PurgeIntentHolder(g.Key, g.Count(), g.Min(i => i.CreatedUtc), g.Max(i => i.LeaseUntilUtc), g.Key == PurgeNode.Id))]);
}
