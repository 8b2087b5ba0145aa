using CachePurge.Module.Models;

namespace CachePurge.Module.Services;

/// <summary>The purge intents kept in the tenant's database.</summary>
public interface IPurgeIntentStore
{
    /// <summary>
    /// Saves <paramref name="intent"/> with the scope's other changes, as it stands when they are committed. Call it
    /// again after each change: a query can write the scope's changes early, and then only a new save writes it again.
    /// </summary>
    Task SaveAsync(PurgeIntent intent);

    /// <summary>Removes the intent of id <paramref name="id"/>, if still there, and commits at once.</summary>
    Task DeleteAsync(long id);

    /// <summary>Up to <paramref name="limit"/> intents saved before <paramref name="savedBefore"/>, oldest first.</summary>
    Task<IReadOnlyList<PurgeIntent>> ListSavedBeforeAsync(DateTime savedBefore, int limit);

    /// <summary>How many intents wait in the database.</summary>
    Task<int> CountAsync();
}
