namespace CachePurge.Core;

/// <summary>The last results, newest first, in a fixed-size ring so that memory stays bounded.</summary>
public sealed class RecentPurgeResults
{
    private readonly PurgeResult?[] _ring;
    private readonly Lock _lock = new();
    private long _written;

    public RecentPurgeResults(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new PurgeResult?[capacity];
    }

    public void Add(PurgeResult result)
    {
        lock (_lock)
        {
            _ring[_written % _ring.Length] = result;
            _written++;
        }
    }

    /// <summary>Up to the ring's capacity of results, newest first.</summary>
    public IReadOnlyList<PurgeResult> Snapshot()
    {
        lock (_lock)
        {
            var count = (int)Math.Min(_written, _ring.Length);
            var results = new List<PurgeResult>(count);
            for (var i = 1; i <= count; i++)
            {
                results.Add(_ring[(_written - i) % _ring.Length]!);
            }

            return results;
        }
    }
}
