namespace CachePurge.Core.Diagnostics;

/// <summary>
/// One cache's last <see cref="Minutes"/> minutes, in a fixed ring of per-minute counters so that memory stays bounded.
/// A minute's slot is replaced by a fresh one, swapped in with a compare-and-swap, by the first purge of a new minute:
/// no purge waits on a lock, and nothing runs while the cache is idle.
/// </summary>
internal sealed class ActivityRing(TimeProvider time)
{
    public const int Minutes = 60;

    private readonly ActivityMinute?[] _ring = new ActivityMinute?[Minutes];

    /// <summary>Counts a request the cache answered, in the current minute.</summary>
    public void Answered(bool succeeded) => Current().Answered(succeeded);

    /// <summary>Counts the publish-to-acknowledgement latency of a purge, in the current minute.</summary>
    public void Acknowledged(TimeSpan latency) => Current().Acknowledged(latency);

    /// <summary>The last <see cref="Minutes"/> minutes, oldest first and the current one last; minutes without activity are zeros.</summary>
    public IReadOnlyList<MinuteActivity> Snapshot()
    {
        var now = CurrentMinute();
        var minutes = new MinuteActivity[Minutes];
        for (var i = 0; i < Minutes; i++)
        {
            var minute = now - Minutes + 1 + i;
            var slot = Volatile.Read(ref _ring[Slot(minute)]);
            minutes[i] = slot is not null && slot.Minute == minute
                ? slot.Snapshot()
                : new MinuteActivity(DateTimeOffset.FromUnixTimeSeconds(minute * 60), 0, 0, null, null);
        }

        return minutes;
    }

    /// <summary>
    /// Takes the minutes of <paramref name="previous"/>, the ring of an engine that stopped, into this one: a minute
    /// this one has not started is taken as it is, one both counted is added up.
    /// </summary>
    public void TakeOver(ActivityRing previous)
    {
        for (var i = 0; i < Minutes; i++)
        {
            var theirs = Volatile.Read(ref previous._ring[i]);
            while (theirs is not null)
            {
                var ours = Volatile.Read(ref _ring[i]);
                if (ours is not null && ours.Minute > theirs.Minute)
                {
                    break;
                }

                if (ours is not null && ours.Minute == theirs.Minute)
                {
                    ours.Add(theirs);
                    break;
                }

                if (Interlocked.CompareExchange(ref _ring[i], theirs, ours) == ours)
                {
                    break;
                }
            }
        }
    }

    private ActivityMinute Current()
    {
        var minute = CurrentMinute();
        ref var slot = ref _ring[Slot(minute)];
        while (true)
        {
            var current = Volatile.Read(ref slot);
            if (current is not null && current.Minute >= minute)
            {
                // A purge that read the clock just before another one started the next minute counts in that one.
                return current;
            }

            var fresh = new ActivityMinute(minute);
            if (Interlocked.CompareExchange(ref slot, fresh, current) == current)
            {
                return fresh;
            }
        }
    }

    private long CurrentMinute() => time.GetUtcNow().ToUnixTimeSeconds() / 60;

    private static int Slot(long minute) => (int)(minute % Minutes);
}
