namespace CachePurge.Module.Services;

/// <summary>
/// Whether this node's engine of the tenant holds purge intents, so that the lease task of an idle tenant does not even
/// query the database. Unknown, so counted as some, until the lease task has looked once: a tenant released by a
/// settings change starts with a new one while the node still holds what the old one counted.
/// <para>
/// Also the engine's commit number of each intent a request handed over: an intent is saved once, with the content
/// and already owned by this node (<see cref="PurgeUrlCollector"/>), and its commit number waits here for the lease
/// task's next write instead of costing every publish a second transaction.
/// </para>
/// </summary>
public sealed class OwnedPurgeIntents
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<long, long> _sequences = new();
    private int _count = -1;

    /// <summary>The engine took the saved intent <paramref name="id"/> under commit number <paramref name="sequence"/>.</summary>
    public void Took(long id, long sequence) => _sequences[id] = sequence;

    /// <summary>The commit number the engine took intent <paramref name="id"/> under, if this node handed it over.</summary>
    public bool TryGetSequence(long id, out long sequence) => _sequences.TryGetValue(id, out sequence);

    /// <summary>Forgets intents deleted once settled.</summary>
    public void Forget(IEnumerable<long> ids)
    {
        foreach (var id in ids)
        {
            _sequences.TryRemove(id, out _);
        }
    }

    public bool Any => Volatile.Read(ref _count) != 0;

    public void Add(int count)
    {
        // From unknown, a new one makes "some" all the same; the lease task counts them exactly.
        if (Interlocked.CompareExchange(ref _count, count, -1) != -1)
        {
            Interlocked.Add(ref _count, count);
        }
    }

    public void Set(int count) => Volatile.Write(ref _count, count);
}
