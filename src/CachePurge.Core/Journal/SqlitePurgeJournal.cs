using System.Collections.Concurrent;
using CachePurge.Core.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CachePurge.Core.Journal;

/// <summary>
/// The journal in one SQLite file (or in memory when no path is given), in WAL mode with
/// synchronous=NORMAL. A commit is written first to the <see cref="CommitLog"/>, one write() that
/// survives the process being killed, and moved into SQLite with the others of the last 100 ms
/// in one transaction. Acknowledgements are buffered and written in groups too, because losing
/// one only means a page is purged twice. A file that cannot be opened is set aside, never fatal.
/// </summary>
internal sealed class SqlitePurgeJournal : IPurgeJournal
{
    private const long MaxUnsavedBytes = 2 * 1024 * 1024;

    private const string Schema = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        PRAGMA wal_autocheckpoint = 0;
        CREATE TABLE IF NOT EXISTS pending (
            endpoint TEXT NOT NULL, kind INTEGER NOT NULL, value TEXT NOT NULL,
            seq INTEGER NOT NULL, committed_at INTEGER NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
            PRIMARY KEY (endpoint, kind, value)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS pending_in_commit_order ON pending (endpoint, seq, kind, value);
        CREATE TABLE IF NOT EXISTS dead_letters (
            endpoint TEXT NOT NULL, kind INTEGER NOT NULL, value TEXT NOT NULL,
            committed_at INTEGER NOT NULL, attempts INTEGER NOT NULL, last_error TEXT, dead_at INTEGER NOT NULL,
            PRIMARY KEY (endpoint, kind, value)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS recent_results (
            position INTEGER PRIMARY KEY, at_ticks INTEGER NOT NULL, endpoint TEXT NOT NULL, target TEXT NOT NULL,
            host TEXT NOT NULL, status INTEGER, outcome TEXT NOT NULL, latency_ticks INTEGER NOT NULL, error TEXT, confirmed INTEGER);
        """;

    private readonly ILogger _logger;
    private readonly CachePurgeMetrics _metrics;
    private readonly Lock _lock = new();
    private readonly Lock _flushLock = new();
    private readonly ConcurrentQueue<DeferredWrite> _deferred = new();
    private readonly Timer _flushTimer;
    private string? _path;
    private SqliteConnection _connection;
    private SqliteCommand _append = null!;
    private SqliteCommand _complete = null!;
    private SqliteCommand _completeAll = null!;
    private SqliteCommand _recordFailure = null!;
    private readonly Lock _checkpointLock = new();
    private SqliteConnection? _checkpointer;
    private readonly CommitLog _log;
    private bool _disposed;
    private int _ticks;

    public SqlitePurgeJournal(string? path, ILogger logger, CachePurgeMetrics metrics)
    {
        _logger = logger;
        _metrics = metrics;
        _connection = Open(path);
        _log = new CommitLog(path, RecoverLeftoverCommits(path), ex =>
        {
            _metrics.JournalError();
            CachePurgeLog.JournalWriteFailed(_logger, ex);
        });
        _flushTimer = new Timer(_ => OnTick(), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100));
    }

    public long LastSequence => _log.LastSequence;

    public long Append(IReadOnlyList<(string Endpoint, PurgeTarget Target)> entries, DateTimeOffset committedAt)
    {
        var sequence = _log.Append(committedAt, entries);

        // A flood of commits faster than SQLite takes them in is slowed to SQLite's pace here, instead of growing memory.
        if (_log.UnsavedBytes > MaxUnsavedBytes)
        {
            lock (_flushLock)
            {
                SaveCommits();
            }
        }

        return sequence;
    }

    public void Complete(string endpoint, PurgeTarget target, long deliveredSequence) =>
        _deferred.Enqueue(new DeferredWrite(endpoint, target, deliveredSequence, null));

    public void RecordFailure(string endpoint, PurgeTarget target, string error) =>
        _deferred.Enqueue(new DeferredWrite(endpoint, target, 0, error));

    public void DeadLetter(string endpoint, PurgeTarget target, string error, DateTimeOffset at)
    {
        lock (_flushLock)
        {
            SaveCommits();
            MoveToDeadLetters(endpoint, target, error, at);
        }
    }

    private void MoveToDeadLetters(string endpoint, PurgeTarget target, string error, DateTimeOffset at)
    {
        Write(transaction =>
        {
            (string, object)[] key = [("$e", endpoint), ("$k", (int)target.Kind), ("$v", target.Value), ("$r", error), ("$d", at.ToUnixTimeMilliseconds())];
            Execute(transaction, """
                INSERT OR REPLACE INTO dead_letters (endpoint, kind, value, committed_at, attempts, last_error, dead_at)
                SELECT endpoint, kind, value, committed_at, attempts, $r, $d FROM pending WHERE endpoint = $e AND kind = $k AND value = $v
                """, key);
            Execute(transaction, "DELETE FROM pending WHERE endpoint = $e AND kind = $k AND value = $v", key[..3]);
        });
    }

    public IReadOnlyList<JournalEntry> LoadPage(string endpoint, JournalCursor after, int limit)
    {
        Flush();
        return Read(
            """
            SELECT endpoint, kind, value, seq, committed_at, attempts, last_error FROM pending
            WHERE endpoint = $e AND (seq > $s OR (seq = $s AND (kind > $k OR (kind = $k AND value > $v))))
            ORDER BY seq, kind, value LIMIT $n
            """,
            reader => new JournalEntry(
                reader.GetString(0),
                new PurgeTarget((PurgeTargetKind)reader.GetInt32(1), reader.GetString(2)),
                reader.GetInt64(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
                reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)),
            parameters: [("$e", endpoint), ("$s", after.Sequence), ("$k", after.Kind), ("$v", after.Value), ("$n", limit)]);
    }

    public IReadOnlyDictionary<string, int> CountPending()
    {
        Flush();
        return Read("SELECT endpoint, COUNT(*) FROM pending GROUP BY endpoint", reader => (reader.GetString(0), reader.GetInt32(1)))
            .ToDictionary(row => row.Item1, row => row.Item2);
    }

    public DeadLetterSummary GetDeadLetters()
    {
        var rows = Read("SELECT COUNT(*), MAX(dead_at), (SELECT last_error FROM dead_letters ORDER BY dead_at DESC LIMIT 1) FROM dead_letters", reader =>
            reader.GetInt32(0) == 0
                ? DeadLetterSummary.None
                : new DeadLetterSummary(reader.GetInt32(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.IsDBNull(2) ? null : reader.GetString(2)));
        return rows.Count > 0 ? rows[0] : DeadLetterSummary.None;
    }

    public IReadOnlyList<JournalEntry> ReplayDeadLetters(DateTimeOffset at)
    {
        lock (_flushLock)
        {
            var targets = Read("SELECT endpoint, kind, value FROM dead_letters", reader => (reader.GetString(0), new PurgeTarget((PurgeTargetKind)reader.GetInt32(1), reader.GetString(2))));
            if (targets.Count == 0)
            {
                return [];
            }

            // Back in as a commit of their own, so that they are pending before they stop being dead letters.
            var sequence = Append(targets, at);
            Write(transaction => Execute(transaction, "DELETE FROM dead_letters"));
            return [.. targets.Select(t => new JournalEntry(t.Item1, t.Item2, sequence, at, 0, null))];
        }
    }

    public void SaveRecentResults(IReadOnlyList<PurgeResult> results) => Write(transaction =>
    {
        Execute(transaction, "DELETE FROM recent_results");
        using var insert = _connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO recent_results (position, at_ticks, endpoint, target, host, status, outcome, latency_ticks, error, confirmed)
            VALUES ($p, $a, $e, $t, $h, $s, $o, $l, $r, $c)
            """;
        foreach (var name in new[] { "$p", "$a", "$e", "$t", "$h", "$s", "$o", "$l", "$r", "$c" })
        {
            insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        for (var i = 0; i < results.Count; i++)
        {
            var result = results[i];
            insert.Parameters["$p"].Value = i;
            insert.Parameters["$a"].Value = result.Time.UtcTicks;
            insert.Parameters["$e"].Value = result.Endpoint;
            insert.Parameters["$t"].Value = result.Target;
            insert.Parameters["$h"].Value = result.Host;
            insert.Parameters["$s"].Value = (object?)result.Status ?? DBNull.Value;
            insert.Parameters["$o"].Value = result.Outcome.ToString();
            insert.Parameters["$l"].Value = result.Latency.Ticks;
            insert.Parameters["$r"].Value = (object?)result.Error ?? DBNull.Value;
            insert.Parameters["$c"].Value = result.Confirmed is { } confirmed ? (confirmed ? 1 : 0) : DBNull.Value;
            insert.ExecuteNonQuery();
        }
    });

    public IReadOnlyList<PurgeResult> LoadRecentResults(int limit) =>
    [
        .. Read(
            "SELECT at_ticks, endpoint, target, host, status, outcome, latency_ticks, error, confirmed FROM recent_results ORDER BY position LIMIT $n",
            reader => Enum.TryParse<PurgeOutcome>(reader.GetString(5), out var outcome)
                ? new PurgeResult(
                    new DateTimeOffset(reader.GetInt64(0), TimeSpan.Zero),
                    reader.GetString(1),
                    reader.GetString(2),
                    reader.GetString(3),
                    reader.IsDBNull(4) ? null : reader.GetInt32(4),
                    outcome,
                    TimeSpan.FromTicks(reader.GetInt64(6)),
                    reader.IsDBNull(7) ? null : reader.GetString(7),
                    reader.IsDBNull(8) ? null : reader.GetInt32(8) == 1)
                : null,
            parameters: [("$n", limit)]).OfType<PurgeResult>(),
    ];

    /// <summary>
    /// Moves the commits of the last moments from the commit log into SQLite, then writes the
    /// buffered acknowledgements. The acknowledgements are taken first: each is for a commit
    /// that was in the log before it, so it is saved before the acknowledgement is applied.
    /// </summary>
    public void Flush()
    {
        lock (_flushLock)
        {
            List<DeferredWrite> writes = [];
            while (_deferred.TryDequeue(out var write))
            {
                writes.Add(write);
            }

            SaveCommits();
            if (writes.Count > 0)
            {
                Write(transaction =>
                {
                    foreach (var write in writes)
                    {
                        Apply(write, transaction);
                    }
                });
            }
        }
    }

    public void Dispose()
    {
        _flushTimer.Dispose();
        _log.StopAppending();
        Flush();
        _log.Dispose();
        // A timer callback may still be running: each connection is closed under the lock its user holds.
        lock (_checkpointLock)
        {
            lock (_lock)
            {
                _disposed = true;
                _connection.Dispose();
            }

            _checkpointer?.Dispose();
        }
    }

    private void OnTick()
    {
        Flush();
        if (Interlocked.Increment(ref _ticks) % 10 == 0)
        {
            Checkpoint();
        }
    }

    /// <summary>
    /// Copies the write-ahead log into the database about once a second, on a connection of its own.
    /// SQLite would otherwise do it inside whichever commit crosses 1,000 pages, and that commit
    /// would wait milliseconds for it.
    /// </summary>
    private void Checkpoint()
    {
        if (_path is null)
        {
            return;
        }

        lock (_checkpointLock)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                if (_checkpointer is null)
                {
                    _checkpointer = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _path, Pooling = false, DefaultTimeout = 1 }.ToString());
                    _checkpointer.Open();
                }

                using var command = _checkpointer.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                command.ExecuteNonQuery();
            }
            catch (SqliteException ex)
            {
                _metrics.JournalError();
                CachePurgeLog.JournalWriteFailed(_logger, ex);
            }
        }
    }

    private SqliteConnection Open(string? path)
    {
        _path = path;
        try
        {
            return OpenAndPrepare(path);
        }
        catch (Exception ex) when (path is not null && ex is SqliteException or InvalidOperationException)
        {
            // The journal is a safety net: a damaged file must never stop purging.
            var setAside = $"{path}.corrupt-{DateTime.UtcNow:yyyyMMddHHmmss}";
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                if (File.Exists(path + suffix))
                {
                    File.Move(path + suffix, setAside + suffix, overwrite: true);
                }
            }

            _metrics.JournalError();
            CachePurgeLog.JournalSetAside(_logger, ex, path, setAside);
            return OpenAndPrepare(path);
        }
    }

    private SqliteConnection OpenAndPrepare(string? path)
    {
        if (path is not null && Path.GetDirectoryName(Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path ?? ":memory:",
            Pooling = false,
        }.ToString());
        try
        {
            connection.Open();
            using (var check = connection.CreateCommand())
            {
                check.CommandText = "PRAGMA quick_check";
                var result = check.ExecuteScalar() as string;
                if (result != "ok")
                {
                    throw new InvalidOperationException($"quick_check reported: {result}");
                }
            }

            using (var create = connection.CreateCommand())
            {
                create.CommandText = Schema;
                create.ExecuteNonQuery();
            }

            _append = Prepare(
                connection,
                """
                INSERT INTO pending (endpoint, kind, value, seq, committed_at)
                SELECT json_extract(entry.value, '$[0]'), json_extract(entry.value, '$[1]'), json_extract(entry.value, '$[2]'), $s, $t
                FROM json_each($entries) AS entry WHERE true
                ON CONFLICT (endpoint, kind, value) DO UPDATE SET seq = excluded.seq
                """,
                "$entries", "$s", "$t");
            _complete = Prepare(connection, "DELETE FROM pending WHERE endpoint = $e AND kind = $k AND value = $v AND seq <= $s", "$e", "$k", "$v", "$s");
            _completeAll = Prepare(connection, "DELETE FROM pending WHERE endpoint = $e AND seq <= $s", "$e", "$s");
            _recordFailure = Prepare(connection, "UPDATE pending SET attempts = attempts + 1, last_error = $r WHERE endpoint = $e AND kind = $k AND value = $v", "$e", "$k", "$v", "$r");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Saves into SQLite what instances that are gone left in their commit logs, and returns the sequence to go on from.</summary>
    private long RecoverLeftoverCommits(string? path)
    {
        var last = Read("SELECT MAX(seq) FROM pending", reader => reader.IsDBNull(0) ? 0L : reader.GetInt64(0)).Single();
        if (path is null)
        {
            return last;
        }

        var (commits, files, damaged) = CommitLog.RecoverLeftovers(path);
        foreach (var file in damaged)
        {
            _metrics.JournalError();
            CachePurgeLog.CommitLogDamaged(_logger, file);
        }

        if (commits.Count > 0)
        {
            Write(transaction => commits.ForEach(commit => Insert(commit, transaction)));
            last = Math.Max(last, commits[^1].Sequence);
        }

        files.ForEach(File.Delete);
        return last;
    }

    private void SaveCommits()
    {
        var (commits, file) = _log.TakeUnsaved();
        if (commits.Count == 0)
        {
            return;
        }

        Write(transaction =>
        {
            foreach (var commit in commits)
            {
                Insert(commit, transaction);
            }
        });
        _log.Saved(file);
    }

    /// <summary>One statement per batch, for every cache: json_each reads its entries.</summary>
    private void Insert(LoggedCommit commit, SqliteTransaction? transaction)
    {
        _append.Transaction = transaction;
        _append.Parameters["$s"].Value = commit.Sequence;
        _append.Parameters["$t"].Value = commit.CommittedAt.ToUnixTimeMilliseconds();
        _append.Parameters["$entries"].Value = JournalJson.Entries(commit.Entries);
        _append.ExecuteNonQuery();
    }

    private void Write(Action<SqliteTransaction> write)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            try
            {
                using var transaction = _connection.BeginTransaction();
                write(transaction);
                transaction.Commit();
            }
            catch (SqliteException ex)
            {
                _metrics.JournalError();
                CachePurgeLog.JournalWriteFailed(_logger, ex);
            }
        }
    }

    private List<T> Read<T>(string sql, Func<SqliteDataReader, T> map, SqliteTransaction? transaction = null, (string Name, object Value)[]? parameters = null)
    {
        lock (_lock)
        {
            List<T> rows = [];
            if (_disposed)
            {
                return rows;
            }

            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.Transaction = transaction;
            foreach (var (name, value) in parameters ?? [])
            {
                command.Parameters.AddWithValue(name, value);
            }

            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(map(reader));
            }

            return rows;
        }
    }

    private void Execute(SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] parameterNames)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private void Apply(DeferredWrite write, SqliteTransaction? transaction)
    {
        SqliteCommand command;
        if (write.Error is not null)
        {
            command = _recordFailure;
            command.Parameters["$r"].Value = write.Error;
        }
        else if (write.Target.Kind == PurgeTargetKind.Everything)
        {
            command = _completeAll;
        }
        else
        {
            command = _complete;
        }

        command.Transaction = transaction;
        command.Parameters["$e"].Value = write.Endpoint;
        if (command != _completeAll)
        {
            command.Parameters["$k"].Value = (int)write.Target.Kind;
            command.Parameters["$v"].Value = write.Target.Value;
        }

        if (command != _recordFailure)
        {
            command.Parameters["$s"].Value = write.DeliveredSequence;
        }

        command.ExecuteNonQuery();
    }

    /// <summary>An acknowledgement (no error) or a failed attempt (error), written later in a group.</summary>
    private readonly record struct DeferredWrite(string Endpoint, PurgeTarget Target, long DeliveredSequence, string? Error);
}
