using CachePurge.Core.Diagnostics;
using CachePurge.Core.Journal;
using Microsoft.Extensions.Logging;

namespace CachePurge.Core.Dispatching;

/// <summary>
/// Keeps a queue's memory bounded. Once <see cref="CachePurgeOptions.MaxPendingInMemory"/> purges are held, the queue
/// overflows: new targets are left in the journal, which holds them already, and read back in pages from a cursor
/// when half the room is free. Every member but the page reads runs under the queue's lock.
/// </summary>
internal sealed class JournalRefill(
    string endpoint,
    CachePurgeOptions options,
    PendingPurges pending,
    IdleSignal idle,
    IPurgeJournal journal,
    CachePurgeMetrics metrics,
    TimeProvider time,
    LogThrottle repeatedWarnings,
    ILogger logger,
    Action<PendingPurge> add,
    CancellationToken stopping)
{
    private const int PageSize = 5_000;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private bool _refilling;
    private bool _fromStart;
    private JournalCursor _cursor;

    // Bumped by every commit left in the journal and every replay: a page read meanwhile may not hold them.
    private int _version;

    /// <summary>Whether some purges wait in the journal only.</summary>
    public bool Overflowing { get; private set; }

    /// <summary>Reads back, from the beginning, what a previous engine left in the journal.</summary>
    public void BeginAtStart()
    {
        Overflowing = true;
        _cursor = JournalCursor.Start;
        Start();
    }

    /// <summary>Reads the whole journal again; what is pending already coalesces.</summary>
    public void Replay()
    {
        Overflowing = true;
        _fromStart = true;
        _version++;
        Start();
    }

    /// <summary>Leaves a new commit in the journal when memory is full or earlier ones are still there; false if it belongs in memory.</summary>
    public bool TryLeaveInJournal(long sequence)
    {
        if (!Overflowing && pending.Count < options.MaxPendingInMemory)
        {
            return false;
        }

        if (!Overflowing)
        {
            Overflowing = true;
            _cursor = JournalCursor.After(sequence - 1);
        }

        _version++;
        return true;
    }

    /// <summary>An entry left memory: read more back once half the room is free.</summary>
    public void Removed()
    {
        if (pending.Count <= options.MaxPendingInMemory / 2)
        {
            Start();
        }
    }

    private void Start()
    {
        if (!_refilling && !stopping.IsCancellationRequested)
        {
            _refilling = true;
            _ = Task.Run(Refill);
        }
    }

    /// <summary>Reads journaled entries back into memory, page by page; a read that fails is tried again a little later.</summary>
    private void Refill()
    {
        try
        {
            ReadPages();
        }
        catch (Exception ex)
        {
            // A journal that cannot be read now (an I/O error) must not leave the backlog there until the next engine.
            lock (pending.Sync)
            {
                _refilling = false;
            }

            if (!stopping.IsCancellationRequested)
            {
                metrics.JournalError();
                if (repeatedWarnings.ShouldLog("4119", out var skipped))
                {
                    CachePurgeLog.BacklogReadFailed(logger, ex, endpoint, RetryDelay.TotalSeconds, skipped);
                }

                _ = RefillAgainAfterAsync();
            }
        }
    }

    private async Task RefillAgainAfterAsync()
    {
        try
        {
            await Task.Delay(RetryDelay, time, stopping).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            return;
        }

        lock (pending.Sync)
        {
            Start();
        }
    }

    /// <summary>Reads pages until the journal has no more than memory holds, or memory is full.</summary>
    private void ReadPages()
    {
        while (true)
        {
            JournalCursor cursor;
            int room;
            int version;
            lock (pending.Sync)
            {
                room = options.MaxPendingInMemory - pending.Count;
                if (!Overflowing || room < options.MaxPendingInMemory / 2 || stopping.IsCancellationRequested)
                {
                    _refilling = false;
                    return;
                }

                if (_fromStart)
                {
                    _fromStart = false;
                    _cursor = JournalCursor.Start;
                }

                cursor = _cursor;
                version = _version;
            }

            // Commits no longer wait for SQLite (they go to the commit log), so pages can be large enough that each read,
            // which first saves the log and the acknowledgements, is worth it; 5,000 references stay off the large-object heap.
            room = Math.Min(room, PageSize);
            var page = journal.LoadPage(endpoint, cursor, room);
            var timestamp = time.GetTimestamp();
            lock (pending.Sync)
            {
                foreach (var entry in page)
                {
                    if (!pending.TryCoalesce(entry.Target, entry.Sequence, timestamp))
                    {
                        add(new PendingPurge(entry.Target, entry.Sequence, entry.FirstCommitted, timestamp) { Attempts = entry.Attempts, LastError = entry.LastError });
                    }
                }

                if (page.Count > 0 && !_fromStart)
                {
                    _cursor = JournalCursor.At(page[^1]);
                }

                // Done only if no commit overflowed, and no replay was asked for, while the page was read: it might not be in the page.
                if (page.Count < room && version == _version)
                {
                    Overflowing = false;
                    if (pending.Count == 0)
                    {
                        idle.Set();
                    }
                }
            }
        }
    }
}
