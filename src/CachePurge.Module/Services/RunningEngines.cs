using System.Collections.Concurrent;
using CachePurge.Core;

namespace CachePurge.Module.Services;

/// <summary>
/// The one running engine of each tenant in this process, by journal. A released tenant is not disposed until its
/// last request ends, and Orchard may leave that to the garbage collector; the engine of the new tenant therefore
/// takes over here when it starts: the old engine stops at once (what it had not sent stays in the journal, which
/// the new engine replays), and requests still running on the old tenant commit to the new engine. So there is
/// never more than one engine on a journal, and no purge goes to a cache that the settings no longer name.
/// </summary>
internal static class RunningEngines
{
    private static readonly ConcurrentDictionary<string, Slot> _slots = new(StringComparer.Ordinal);

    /// <summary>The engine running on <paramref name="journalPath"/>, or null; waits while one takes another's place.</summary>
    public static async ValueTask<PurgeDispatcher> GetAsync(string journalPath)
    {
        if (!_slots.TryGetValue(journalPath, out var slot))
        {
            return null;
        }

        if (slot.Engine is { } engine)
        {
            return engine;
        }

        // Null between stopping one engine and starting the next: wait for the next rather than drop a commit.
        await slot.Lock.WaitAsync();
        try
        {
            return slot.Engine;
        }
        finally
        {
            slot.Lock.Release();
        }
    }

    /// <summary>Stops the engine running on <paramref name="journalPath"/>, if any, then runs <paramref name="start"/> (which may return null) in its place.</summary>
    public static async Task<PurgeDispatcher> ReplaceAsync(string journalPath, Func<PurgeDispatcher> start)
    {
        var slot = _slots.GetOrAdd(journalPath, _ => new Slot());
        await slot.Lock.WaitAsync();
        try
        {
            var previous = slot.Engine;
            slot.Engine = null;
            if (previous is not null)
            {
                await previous.StopAsync(TimeSpan.Zero);
            }

            var next = start();
            if (next is not null && previous is not null)
            {
                // The operations page goes on showing each cache's last hour after the settings are saved.
                next.ContinueHealthOf(previous);
            }

            slot.Engine = next;
            return next;
        }
        finally
        {
            slot.Lock.Release();
        }
    }

    /// <summary>Stops <paramref name="engine"/> after draining for <paramref name="drainTimeout"/>, unless another has taken its place already.</summary>
    public static async Task StopAsync(string journalPath, PurgeDispatcher engine, TimeSpan drainTimeout)
    {
        if (engine is null || !_slots.TryGetValue(journalPath, out var slot))
        {
            return;
        }

        await slot.Lock.WaitAsync();
        try
        {
            if (ReferenceEquals(slot.Engine, engine))
            {
                slot.Engine = null;
                await engine.StopAsync(drainTimeout);
            }
        }
        finally
        {
            slot.Lock.Release();
        }
    }

    private sealed class Slot
    {
        public SemaphoreSlim Lock { get; } = new(1, 1);

        private volatile PurgeDispatcher _engine;

        public PurgeDispatcher Engine
        {
            get => _engine;
            set => _engine = value;
        }
    }
}
