namespace CachePurge.Module.Services;

/// <summary>
/// Whether this node's engine of the tenant holds purge intents, so that the lease task of an idle tenant does not even
/// query the database. Unknown, so counted as some, until the lease task has looked once: a tenant released by a
/// settings change starts with a new one while the node still holds what the old one counted.
/// </summary>
public sealed class OwnedPurgeIntents
{
    private int _count = -1;

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
