using CachePurge.Core.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CachePurge.Core.Journal;

/// <summary>
/// The journal as the engine uses it. A commit is copied into the <see cref="CommitLog"/> (safe from a killed process
/// in microseconds); the <see cref="JournalWriter"/> moves it into the <see cref="JournalDatabase"/> with the others of
/// the last 100 ms, or keeps it in memory while the disk refuses it (<see cref="UnsavedPurges"/>); reads see both.
/// Acknowledgements and failed attempts are written behind in groups, because losing one only means a page is purged
/// twice. <see cref="JournalOpener"/> opens the file, sets aside a damaged one and recovers what stopped engines left.
/// Nothing here stops the engine: a journal that cannot be opened or written leaves it running in memory.
/// </summary>
internal sealed class SqlitePurgeJournal : IPurgeJournal
{
    private const long MaxUnsavedBytes = 2 * 1024 * 1024;

    private readonly string? _path;
    private readonly ILogger _logger;
    private readonly CachePurgeMetrics _metrics;
    private readonly LogThrottle _throttle;
    private readonly CommitLog _log;
    private readonly JournalWriter _writer;

    /// <param name="path">The SQLite file, or null to keep the journal in memory.</param>
    /// <param name="maxPendingInMemory">Purges kept in memory per cache while the journal cannot be written, above which a cache that can purge everything gets one purge of everything instead; one that cannot keeps five times as many.</param>
    /// <param name="canPurgeEverything">The caches that can purge everything.</param>
    public SqlitePurgeJournal(string? path, int maxPendingInMemory, IReadOnlySet<string> canPurgeEverything, ILogger logger, CachePurgeMetrics metrics, TimeProvider time)
    {
        _path = path;
        _logger = logger;
        _metrics = metrics;
        _throttle = new LogThrottle(time, TimeSpan.FromMinutes(1));
        var opening = JournalOpener.Open(path, logger, metrics);
        _log = new CommitLog(path, opening.LastSequence, CommitLogFailed);
        _writer = new JournalWriter(
            path,
            opening,
            _log,
            new UnsavedPurges(maxPendingInMemory, 5 * maxPendingInMemory, canPurgeEverything),
            _throttle,
            logger,
            metrics,
            time,
            (endpoint, sequence, firstCommitted) => PurgesReplacedByEverything?.Invoke(endpoint, sequence, firstCommitted),
            () => Reopened?.Invoke());
    }

    /// <summary>Purges kept in memory for a cache were replaced by one purge of everything: the cache, its commit number, its first commit time.</summary>
    public event Action<string, long, DateTimeOffset>? PurgesReplacedByEverything;

    /// <summary>The journal holds purges the queues may not have seen: it opened after the engine started without it, or was made again.</summary>
    public event Action? Reopened;

    public long LastSequence => _log.LastSequence;

    public JournalStatus Status => _writer.Status;

    /// <summary>Whether the writer's timer ticks: false once the engine has been idle for a second.</summary>
    public bool IsTicking => _writer.IsTicking;

    public long Append(IReadOnlyList<(string Endpoint, PurgeTarget Target)> entries, DateTimeOffset committedAt)
    {
        var sequence = _log.Append(committedAt, entries);
        _writer.Wake();

        // A flood of commits faster than SQLite takes them in is slowed to SQLite's pace here, instead of growing memory.
        // While the disk refuses writes, commits do not wait for it: the writer keeps memory bounded instead.
        if (_log.UnsavedBytes > MaxUnsavedBytes && _writer.Status.IsWritable)
        {
            _writer.Flush();
        }

        return sequence;
    }

    public void Complete(string endpoint, PurgeTarget target, long deliveredSequence) => _writer.Update(JournalUpdate.Delivered(endpoint, target, deliveredSequence));

    public void RecordFailure(string endpoint, PurgeTarget target, string error) => _writer.Update(JournalUpdate.Failed(endpoint, target, error));

    public void DeadLetter(string endpoint, PurgeTarget target, string error, DateTimeOffset at) => _writer.Update(JournalUpdate.DeadLettered(endpoint, target, error, at));

    /// <summary>Throws what the database throws: a page left out would leave its purges unsent.</summary>
    public IReadOnlyList<JournalEntry> LoadPage(string endpoint, JournalCursor after, int limit) =>
        _writer.Read((database, unsaved) => JournalOrder.Merge(database?.LoadPage(endpoint, after, limit) ?? [], unsaved.Page(endpoint, after, limit), limit));

    /// <summary>Throws what the database throws: an answer that left the database out could call a waiting commit settled.</summary>
    public long? OldestPendingSequence() => _writer.Read((database, unsaved) =>
        (database?.OldestPendingSequence(), unsaved.OldestSequence()) switch
        {
            ({ } saved, { } kept) => Math.Min(saved, kept),
            (var saved, var kept) => saved ?? kept,
        });

    public IReadOnlyDictionary<string, int> CountPending() => _writer.Read((database, unsaved) =>
    {
        var counts = unsaved.CountByEndpoint();
        foreach (var (endpoint, count) in ReadOr(database, d => d.CountPending(), []))
        {
            counts[endpoint] = counts.GetValueOrDefault(endpoint) + count;
        }

        return counts;
    });

    public DeadLetterSummary GetDeadLetters() => _writer.Read((database, _) => ReadOr(database, d => d.GetDeadLetters(), DeadLetterSummary.None));

    public IReadOnlyList<JournalEntry> ReplayDeadLetters(DateTimeOffset at)
    {
        try
        {
            return _writer.ReplayDeadLetters(at);
        }
        catch (SqliteException ex)
        {
            ReadFailed(ex);
            return [];
        }
    }

    public void Flush() => _writer.Flush();

    public void SaveRecentResults(IReadOnlyList<PurgeResult> results) => _writer.Write(database => database.SaveRecentResults(results));

    public IReadOnlyList<PurgeResult> LoadRecentResults(int limit) => _writer.Read((database, _) => ReadOr(database, d => d.LoadRecentResults(limit), []));

    public void Dispose() => _writer.Dispose();

    /// <summary>For what the admin pages show: a database that cannot be read leaves its part out, and the log says so.</summary>
    private T ReadOr<T>(JournalDatabase? database, Func<JournalDatabase, T> read, T fallback)
    {
        try
        {
            return database is null ? fallback : read(database);
        }
        catch (SqliteException ex)
        {
            ReadFailed(ex);
            return fallback;
        }
    }

    private void ReadFailed(SqliteException exception)
    {
        _metrics.JournalError();
        if (_throttle.ShouldLog("4123", out var skipped))
        {
            CachePurgeLog.JournalReadFailed(_logger, exception, _path ?? "(memory)", JournalProblem.Describe(exception, null), skipped);
        }
    }

    /// <summary>Told by the commit log, on the commit's own thread: no probing of the disk here, and the log is throttled.</summary>
    private void CommitLogFailed(Exception exception)
    {
        _metrics.JournalError();
        if (exception is ObjectDisposedException)
        {
            if (_throttle.ShouldLog("4122", out var late))
            {
                CachePurgeLog.CommittedAfterStop(_logger, late);
            }
        }
        else if (_throttle.ShouldLog("4120", out var skipped))
        {
            CachePurgeLog.CommitLogNotWritable(_logger, exception, _path ?? "(memory)", JournalProblem.Describe(exception, null), skipped);
        }
    }
}
