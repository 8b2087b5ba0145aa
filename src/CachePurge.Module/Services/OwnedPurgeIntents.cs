namespace CachePurge.Module.Services;

/// <summary>
/// Whether this node's engine of the tenant holds purge intents, so that the lease task of an idle tenant does not even
/// query the database.
/// </summary>
public sealed class OwnedPurgeIntents
{
    private int _count;

    public bool Any => Volatile.Read(ref _count) > 0;

    public void Add(int count) => Interlocked.Add(ref _count, count);

    public void Set(int count) => Volatile.Write(ref _count, count);
}
