using System.Collections.Concurrent;
using CachePurge.Core.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CachePurge.Core.Journal;

/// <summary>
/// Gets commits and updates into the journal's database, whatever the disk does. What happens to a commit:
/// <list type="number">
/// <item>Every 100 ms, the commits in the <see cref="CommitLog"/> and the updates written behind (acknowledgements,
/// failed attempts, dead letters) go into the <see cref="JournalDatabase"/> in one transaction. A commit its caches
/// acknowledged before then is not written at all (<see cref="AcknowledgedBeforeSave"/>). Only then are the log's
/// files emptied.</item>
/// <item>When the database refuses the write (a full or read-only disk, an I/O error), or could not be opened, the
/// commits are kept in memory (<see cref="UnsavedPurges"/>) and the log's files keep them too. They are still sent,
/// and read back from memory like the database. <see cref="Status"/> says since when and why; the refusal is logged
/// once a minute with a count (4108). A purge acknowledged meanwhile is forgotten. Memory stays bounded: a cache that
/// can purge everything gets one purge of everything instead of its oldest purges (4116), and a cache that cannot
/// gives up its oldest (4117).</item>
/// <item>Every second the write is tried again, and <see cref="JournalRecovery"/> opens a journal that could not be
/// opened, or makes again a file deleted or replaced under the engine (4115); the queues then read it from the start,
/// for what it held from before. The first write the database takes holds everything kept (4114).</item>
/// <item>An engine that stops while the database refuses writes leaves its commit log files for the next engine;
/// what no file holds is lost, and the log says how much (4118).</item>
/// </list>
/// The timer ticks only while there is something to do: a commit or an update wakes it (<see cref="Wake"/>), and it
/// stops, releasing the commit log's files, once a second has passed with nothing written and nothing kept in memory.
/// An idle site's engine then costs no wake-ups and no files.
/// </summary>
internal sealed class JournalWriter : IDisposable
{
    private const int TicksPerRetry = 10; // a tick every 100 ms: once a second
    private const int MaxUpdatesKept = 100_000;
    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    private readonly string? _path;
    private readonly CommitLog _log;
    private readonly UnsavedPurges _unsaved;
    private readonly ConcurrentQueue<JournalUpdate> _updates = new();
    private readonly List<JournalUpdate> _updatesKept = [];
    private readonly List<string> _leftoverFiles = [];
    private readonly Dictionary<string, int> _unreported = new(StringComparer.Ordinal);
    private readonly List<Action> _events = [];
    private readonly Lock _gate = new();
    private readonly LogThrottle _throttle;
    private readonly ILogger _logger;
    private readonly CachePurgeMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly Action<string, long, DateTimeOffset> _purgeEverythingInstead;
    private readonly Action _reopened;
    private readonly JournalRecovery? _recovery;
    private readonly Timer _timer;
    private JournalDatabase? _database;
    private JournalStatus _status = JournalStatus.Writable;
    private DateTimeOffset? _notWritableSince;
    private string? _problem;
    private long _takenThrough;
    private int _updatesAppliedToUnsaved;
    private int _refused;
    private bool _reopenedUnannounced;
    private int _ticks;
    private int _quietTicks;
    private int _armed;
    private bool _disposed;

    /// <param name="purgeEverythingInstead">Told (outside any lock) when a cache's purges kept in memory were replaced by one purge of everything: the cache, its commit number and first commit time.</param>
    /// <param name="reopened">Told (outside any lock) when the database holds purges the queues may not have seen: opened after the engine started without it, or made again from a file that replaced it.</param>
    public JournalWriter(
        string? path,
        JournalOpening opening,
        CommitLog log,
        UnsavedPurges unsaved,
        LogThrottle throttle,
        ILogger logger,
        CachePurgeMetrics metrics,
        TimeProvider time,
        Action<string, long, DateTimeOffset> purgeEverythingInstead,
        Action reopened)
    {
        _path = path;
        _log = log;
        _unsaved = unsaved;
        _throttle = throttle;
        _logger = logger;
        _metrics = metrics;
        _time = time;
        _purgeEverythingInstead = purgeEverythingInstead;
        _reopened = reopened;
        _database = opening.Database;
        _recovery = path is null ? null : new JournalRecovery(path, logger, metrics);
        _takenThrough = opening.LastSequence;

        // What engines that are gone left in their commit logs goes in with the first write, or waits in memory for it.
        _unsaved.Add(opening.Leftovers);
        _leftoverFiles.AddRange(opening.LeftoverFiles);
        lock (_gate)
        {
            if (_database is null)
            {
                CannotOpen(opening.Problem!);
            }

            FlushLocked(retry: false);
        }

        _timer = new Timer(_ => OnTick(), null, Timeout.Infinite, Timeout.Infinite);
        Wake();
    }

    public JournalStatus Status => Volatile.Read(ref _status);

    /// <summary>Whether the timer is ticking: false once the engine has been idle for a second.</summary>
    public bool IsTicking => Volatile.Read(ref _armed) == 1;

    /// <summary>Keeps an update, to write with the next commits.</summary>
    public void Update(JournalUpdate update)
    {
        _updates.Enqueue(update);
        Wake();
    }

    /// <summary>
    /// Starts the timer unless it ticks already; called after each commit is logged. A full fence either way (the
    /// compare-exchange), so that a timer going idle at the same moment sees the commit (see <see cref="Rest"/>).
    /// </summary>
    public void Wake()
    {
        if (Interlocked.CompareExchange(ref _armed, 1, 0) == 0)
        {
            Tick(FlushInterval);
        }
    }

    /// <summary>Writes the commits and updates waiting now (or keeps them in memory while the database refuses them).</summary>
    public void Flush()
    {
        lock (_gate)
        {
            FlushLocked(retry: false);
        }

        RaiseEvents();
    }

    /// <summary>
    /// Reads, after a flush, from the database (null when there is none) and from what is kept in memory. Reads from a
    /// file deleted under the engine still see everything it wrote. Throws what the database throws.
    /// </summary>
    public T Read<T>(Func<JournalDatabase?, UnsavedPurges, T> read)
    {
        T result;
        lock (_gate)
        {
            FlushLocked(retry: false);
            result = read(_disposed ? null : _database ?? _recovery?.Lost, _unsaved);
        }

        RaiseEvents();
        return result;
    }

    /// <summary>Writes what is not a commit (the recent results when stopping); reports and forgets a refusal.</summary>
    public void Write(Action<JournalDatabase> write)
    {
        lock (_gate)
        {
            if (_disposed || _database is null)
            {
                return;
            }

            try
            {
                write(_database);
            }
            catch (SqliteException ex)
            {
                ReportFailure(ex, "4108 other");
            }
        }
    }

    /// <summary>Makes every dead letter pending again, as a commit of its own, before it stops being a dead letter.</summary>
    public IReadOnlyList<JournalEntry> ReplayDeadLetters(DateTimeOffset at)
    {
        List<JournalEntry> replayed = [];
        lock (_gate)
        {
            if (_disposed || _database is null)
            {
                return [];
            }

            var targets = _database.ReadDeadLetters();
            if (targets.Count == 0)
            {
                return [];
            }

            var sequence = _log.Append(at, targets);
            FlushLocked(retry: true);
            if (_status.IsWritable)
            {
                try
                {
                    _database.DeleteDeadLetters();
                }
                catch (SqliteException ex)
                {
                    // They are pending again and still listed as dead: the next replay sends them once more.
                    ReportFailure(ex, "4108 other");
                }
            }

            replayed.AddRange(targets.Select(t => new JournalEntry(t.Endpoint, t.Target, sequence, at, 0, null)));
        }

        RaiseEvents();
        return replayed;
    }

    public void Dispose()
    {
        _timer.Dispose();
        _log.StopAppending();
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            // A last try. While the database refuses it, the commit log's files keep what they hold for the next engine.
            FlushLocked(retry: true);
            _disposed = true;
            var inNoFile = _log.SequencesInNoFile();
            var lost = _unsaved.Count == 0 ? 0 : _unsaved.CountWhere(inNoFile.Contains);
            var keptFiles = _log.Close();
            if (_unsaved.Count > 0)
            {
                CachePurgeLog.StoppedWithUnsaved(_logger, _path ?? "(memory)", _problem ?? "", _unsaved.Count, keptFiles + _leftoverFiles.Count, lost);
            }

            _database?.Dispose();
            _recovery?.Dispose();
        }
    }

    private void OnTick()
    {
        try
        {
            var retry = Interlocked.Increment(ref _ticks) % TicksPerRetry == 0;
            var busy = HasWork();
            JournalDatabase? checkpoint = null;
            var idle = false;
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }

                // Idle once a whole retry period (its file check and checkpoint included) passed with nothing to write,
                // and nothing waits for the disk: a journal that cannot be written is tried again every second.
                _quietTicks = busy ? 0 : _quietTicks + 1;
                idle = _quietTicks > TicksPerRetry && _database is not null && _notWritableSince is null && _unsaved.Count == 0 && _updatesKept.Count == 0 && !_reopenedUnannounced;

                if (retry)
                {
                    // A file deleted or replaced under the engine would take its writes into nothing the next engine reads.
                    if (_database is not null && _recovery?.IsStillInPlace(_database) == false)
                    {
                        _database = null;
                    }

                    if (_status.IsWritable && !_log.HasFiles)
                    {
                        _log.TryCreateFiles();
                    }
                }

                FlushLocked(retry);
                checkpoint = retry && _status.IsWritable ? _database : null;
            }

            RaiseEvents();
            checkpoint?.Checkpoint();
            if (idle)
            {
                Rest();
            }
        }
        catch (Exception ex)
        {
            // A timer callback that throws would end the process: report it, and the next tick tries again.
            ReportFailure(ex, "4108 tick");
        }
    }

    /// <summary>Whether a commit or an update waits to be written.</summary>
    private bool HasWork() => _log.UnsavedBytes > 0 || !_updates.IsEmpty;

    /// <summary>
    /// Stops the timer and gives back the commit log's files, then wakes again if a commit or update came meanwhile.
    /// The exchange is a full fence, as is <see cref="Wake"/>'s: a commit whose wake saw the timer still armed was
    /// logged before this exchange, so the check after it sees the commit; one whose wake saw it stopped restarts it.
    /// </summary>
    private void Rest()
    {
        // The files first, so that a journal seen idle holds none; a commit meanwhile keeps them (it is unsaved).
        _log.ReleaseFiles();
        Interlocked.Exchange(ref _armed, 0);
        Tick(Timeout.InfiniteTimeSpan);
        _quietTicks = 0;
        if (HasWork())
        {
            Volatile.Write(ref _armed, 1);
            Tick(FlushInterval);
        }
    }

    private void Tick(TimeSpan every)
    {
        try
        {
            _timer.Change(every, every);
        }
        catch (ObjectDisposedException)
        {
            // An acknowledgement after the engine stopped: Dispose wrote what there was.
        }
    }

    /// <summary>
    /// Moves the commits of the last moments and the updates into the database; keeps them in memory when it refuses
    /// or there is none. With <paramref name="retry"/>, first tries again what failed before: opening (or making a lost
    /// file again), writing. The updates are taken before the commits: each is for a commit that was in the log before it.
    /// </summary>
    private void FlushLocked(bool retry)
    {
        if (_disposed)
        {
            return;
        }

        while (_updates.TryDequeue(out var update))
        {
            _updatesKept.Add(update);
        }

        if (retry && _database is null && _recovery is not null)
        {
            // Before the commits are taken: the reopened journal numbers the next ones after all it holds.
            TryReopen();
        }

        var commits = _log.TakeUnsaved();
        if (commits.Count > 0)
        {
            _takenThrough = Math.Max(_takenThrough, commits[^1].Sequence);
        }

        var writable = _database is not null && (_status.IsWritable || retry);
        if (writable)
        {
            // What the caches acknowledged since it was committed is not written: the log has it until the save. (Kept
            // in memory instead, the acknowledgements make UnsavedPurges forget it.)
            commits = AcknowledgedBeforeSave.Remove(commits, _updatesKept);
        }

        SqliteException? refusal = null;
        if (!writable || !TryWrite(commits, out refusal))
        {
            Keep(commits);
            if (refusal is not null)
            {
                Refused(refusal);
            }
        }
    }

    private bool TryWrite(IReadOnlyList<LoggedCommit> commits, out SqliteException? refusal)
    {
        refusal = null;
        if (commits.Count == 0 && _unsaved.Count == 0 && _updatesKept.Count == 0 && !_reopenedUnannounced)
        {
            // Nothing to write: a file switched away from since is emptied; a refusing disk is tried with the next write.
            _log.Saved(_takenThrough);
            return _notWritableSince is null;
        }

        try
        {
            _database!.Save(_unsaved.Count == 0 ? commits : _unsaved.ToCommits().Concat(commits), _updatesKept);
        }
        catch (SqliteException ex)
        {
            refusal = ex;
            return false;
        }

        var kept = _unsaved.Count;
        _unsaved.Clear();
        _updatesKept.Clear();
        _updatesAppliedToUnsaved = 0;
        _log.Saved(_takenThrough);
        DeleteLeftoverFiles();
        if (_notWritableSince is { } since)
        {
            CachePurgeLog.JournalWritableAgain(_logger, _path ?? "(memory)", Math.Round((_time.GetUtcNow() - since).TotalSeconds, 1), kept, _refused);
            _throttle.Reset("4108");
            (_notWritableSince, _problem, _refused) = (null, null, 0);
        }

        if (_reopenedUnannounced)
        {
            _reopenedUnannounced = false;
            _events.Add(_reopened);
        }

        PublishStatus();
        return true;
    }

    /// <summary>Keeps commits the database did not take, forgets what acknowledgements cover, and keeps memory bounded.</summary>
    private void Keep(IReadOnlyList<LoggedCommit> commits)
    {
        _unsaved.Add(commits);
        for (; _updatesAppliedToUnsaved < _updatesKept.Count; _updatesAppliedToUnsaved++)
        {
            _unsaved.Apply(_updatesKept[_updatesAppliedToUnsaved]);
        }

        if (_updatesKept.Count > MaxUpdatesKept)
        {
            // Only acknowledgements and attempt counts: their loss purges a page twice after a restart, it loses nothing.
            var givenUp = _updatesKept.Count - MaxUpdatesKept;
            _updatesKept.RemoveRange(0, givenUp);
            _updatesAppliedToUnsaved -= givenUp;
            if (Unreported("4121", givenUp) is { } count)
            {
                CachePurgeLog.UpdatesGivenUp(_logger, count);
            }
        }

        foreach (var overflow in _unsaved.KeepBounded())
        {
            if (overflow.ReplacedByEverything)
            {
                _metrics.EscalatedInMemory(overflow.Endpoint);
                _events.Add(() => _purgeEverythingInstead(overflow.Endpoint, overflow.Sequence, overflow.FirstCommitted));
                if (Unreported("4116 " + overflow.Endpoint, overflow.Count) is { } count)
                {
                    CachePurgeLog.UnsavedReplacedByEverything(_logger, count, overflow.Endpoint, _notWritableSince);
                }
            }
            else
            {
                _metrics.DroppedUnsaved(overflow.Endpoint, overflow.Count);
                if (Unreported("4117 " + overflow.Endpoint, overflow.Count) is { } count)
                {
                    CachePurgeLog.UnsavedGivenUp(_logger, count, overflow.Endpoint, _notWritableSince);
                }
            }
        }

        PublishStatus();
    }

    /// <summary>Adds <paramref name="count"/> to what <paramref name="key"/> has to report, and returns the total when it is time to log it.</summary>
    private int? Unreported(string key, int count)
    {
        var total = _unreported.GetValueOrDefault(key) + count;
        if (!_throttle.ShouldLog(key, out _))
        {
            _unreported[key] = total;
            return null;
        }

        _unreported.Remove(key);
        return total;
    }

    private void Refused(Exception exception)
    {
        _refused++;
        var problem = JournalProblem.Describe(exception, _path);
        _notWritableSince ??= _time.GetUtcNow();
        _problem = problem;
        _metrics.JournalError();
        if (_throttle.ShouldLog("4108", out var skipped))
        {
            CachePurgeLog.JournalWriteFailed(_logger, exception, _path ?? "(memory)", problem, _unsaved.Count, skipped);
        }

        PublishStatus();
    }

    private void CannotOpen(string problem)
    {
        _refused++;
        _notWritableSince ??= _time.GetUtcNow();
        _problem = problem;
        if (_throttle.ShouldLog("4113", out var skipped))
        {
            CachePurgeLog.JournalUnavailable(_logger, _path!, problem, TicksPerRetry * FlushInterval.TotalSeconds, skipped);
        }

        PublishStatus();
    }

    /// <summary>Opens the journal that could not be opened, or makes a lost file again, and numbers the next commits after all it holds.</summary>
    private void TryReopen()
    {
        var opening = _recovery!.TryOpen();
        if (opening.Database is null)
        {
            CannotOpen(opening.Problem!);
            return;
        }

        _database = opening.Database;
        _log.AdvanceSequence(opening.LastSequence);
        _unsaved.Add(opening.Leftovers);
        _leftoverFiles.AddRange(opening.LeftoverFiles.Except(_leftoverFiles));
        _reopenedUnannounced = true;
    }

    private void DeleteLeftoverFiles()
    {
        _leftoverFiles.ForEach(TryDelete);
        _leftoverFiles.Clear();
    }

    private void RaiseEvents()
    {
        List<Action> events;
        lock (_gate)
        {
            if (_events.Count == 0)
            {
                return;
            }

            events = [.. _events];
            _events.Clear();
        }

        events.ForEach(raise => raise());
    }

    private void ReportFailure(Exception exception, string key)
    {
        _metrics.JournalError();
        if (_throttle.ShouldLog(key, out var skipped))
        {
            CachePurgeLog.JournalWriteFailed(_logger, exception, _path ?? "(memory)", JournalProblem.Describe(exception, null), _unsaved.Count, skipped);
        }
    }

    private void PublishStatus() =>
        Volatile.Write(ref _status, _notWritableSince is null ? JournalStatus.Writable : new JournalStatus(_notWritableSince, _problem, _unsaved.Count));

    private static void TryDelete(string? path)
    {
        try
        {
            if (path is not null)
            {
                File.Delete(path);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Its commits are saved: the next engine saves them again, which purges their pages twice at worst.
        }
    }
}
