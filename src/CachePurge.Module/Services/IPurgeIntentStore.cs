using CachePurge.Module.Models;
using CachePurge.Module.ViewModels;

namespace CachePurge.Module.Services;

/// <summary>The purge intents kept in the tenant's database.</summary>
public interface IPurgeIntentStore
{
    /// <summary>
    /// Saves <paramref name="intent"/> with the scope's other changes, as it stands when they are committed. Call it
    /// again after each change: a query can write the scope's changes early, and then only a new save writes it again.
    /// </summary>
    Task SaveAsync(PurgeIntent intent);

    /// <summary>Writes <paramref name="intent"/> as it stands now and commits at once.</summary>
    Task SaveNowAsync(PurgeIntent intent);

    /// <summary>Removes the intent of id <paramref name="id"/>, if still there, and commits at once.</summary>
    Task DeleteAsync(long id);

    /// <summary>Removes <paramref name="settled"/> and writes <paramref name="renewed"/> as they stand, in one commit.</summary>
    Task SettleAsync(IEnumerable<PurgeIntent> settled, IEnumerable<PurgeIntent> renewed);

    /// <summary>
    /// Up to <paramref name="limit"/> intents nobody answers for, oldest first: those no engine took although saved before
    /// <paramref name="savedBefore"/>, and those of another owner than <paramref name="self"/> whose lease ran out before
    /// <paramref name="now"/>. A node never takes over its own: while it runs, its engine holds them.
    /// </summary>
    Task<IReadOnlyList<PurgeIntent>> ListUnansweredAsync(DateTime savedBefore, DateTime now, string self, int limit);

    /// <summary>The intents <paramref name="owner"/>'s engines hold.</summary>
    Task<IReadOnlyList<PurgeIntent>> ListOwnedAsync(string owner);

    /// <summary>How many intents wait in the database.</summary>
    Task<int> CountAsync();

    /// <summary>The intents waiting in the database per node that holds them, for the operations page of any node.</summary>
    Task<IReadOnlyList<PurgeIntentHolder>> ListHoldersAsync();
}
