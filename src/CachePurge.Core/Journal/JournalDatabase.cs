using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;

namespace CachePurge.Core.Journal;

/// <summary>
/// The journal's SQLite database, one file (or memory when no path is given) in WAL mode with synchronous=NORMAL:
/// its schema, its statements and its checkpoints, nothing more. Every method throws what SQLite throws; what a
/// refused write means for a commit is the <see cref="JournalWriter"/>'s to decide. Not thread-safe: the writer
/// serializes its use, except for <see cref="Checkpoint"/>, which runs on a connection of its own.
/// </summary>
internal sealed class JournalDatabase : IDisposable
{
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

    // https://www.sqlite.org/c3ref/c_fcntl_begin_atomic_write.html#sqlitefcntlhasmoved
    private const int FileControlHasMoved = 20;

    private readonly SqliteConnection _connection;
    private readonly SqliteConnection? _checkpointer;
    private readonly Lock _checkpointLock = new();
    private readonly PositionalStatement _append;
    private readonly PositionalStatement _complete;
    private readonly SqliteCommand _completeAll;
    private readonly SqliteCommand _recordFailure;
    private bool _disposed;

    private JournalDatabase(string? path, SqliteConnection connection, SqliteConnection? checkpointer)
    {
        Path = path;
        _connection = connection;
        _checkpointer = checkpointer;
        _append = new PositionalStatement(
            connection,
            "INSERT INTO pending (endpoint, kind, value, seq, committed_at) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (endpoint, kind, value) DO UPDATE SET seq = excluded.seq");
        _complete = new PositionalStatement(connection, "DELETE FROM pending WHERE endpoint = ?1 AND kind = ?2 AND value = ?3 AND seq <= ?4");
        _completeAll = Prepare("DELETE FROM pending WHERE endpoint = $e AND seq <= $s", "$e", "$s");
        _recordFailure = Prepare("UPDATE pending SET attempts = attempts + 1, last_error = $r WHERE endpoint = $e AND kind = $k AND value = $v", "$e", "$k", "$v", "$r");
    }

    /// <summary>The file, or null for a journal in memory.</summary>
    public string? Path { get; }

    /// <summary>
    /// Opens the journal at <paramref name="path"/>, making it (and its folder) if needed, or one in memory when it is
    /// null. Throws what SQLite or the file system throws, and <see cref="InvalidDataException"/> for a damaged file.
    /// </summary>
    public static JournalDatabase Open(string? path)
    {
        if (path is not null && System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        var connection = Connect(path ?? ":memory:");
        SqliteConnection? checkpointer = null;
        try
        {
            var check = Scalar(connection, "PRAGMA quick_check") as string;
            if (check != "ok")
            {
                throw new InvalidDataException($"quick_check reported: {check}");
            }

            using (var schema = connection.CreateCommand())
            {
                schema.CommandText = Schema;
                schema.ExecuteNonQuery();
            }

            if (path is not null)
            {
                // Opened now, on this file: opened later, it could open a file that took this one's place.
                checkpointer = Connect(path, busyTimeoutSeconds: 1);
            }

            return new JournalDatabase(path, connection, checkpointer);
        }
        catch
        {
            checkpointer?.Dispose();
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Null while the file at <see cref="Path"/> is this journal's; otherwise what happened to it ("deleted", "replaced
    /// by another file"). An engine whose file is gone writes into nothing that the next engine will read.
    /// <para>
    /// SQLite's own check answers (SQLITE_FCNTL_HAS_MOVED: the path no longer leads to the file it has open). It only
    /// looks the path up; opening the file to look would be worse, because closing any descriptor of a file drops
    /// every POSIX lock the process holds on it, SQLite's included. Where SQLite cannot be asked, only a deleted file
    /// is seen.
    /// </para>
    /// </summary>
    public string? WhatBecameOfTheFile()
    {
        if (Path is null)
        {
            return null;
        }

        bool moved;
        try
        {
            var answer = 0;
            moved = FileControl(_connection.Handle!.DangerousGetHandle(), "main", FileControlHasMoved, ref answer) == 0 ? answer != 0 : !File.Exists(Path);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // A SQLite other than the bundled e_sqlite3.
            moved = !File.Exists(Path);
        }

        return !moved ? null : File.Exists(Path) ? "replaced by another file" : "deleted";
    }

    public long MaxSequence() => Convert.ToInt64(Scalar(_connection, "SELECT IFNULL(MAX(seq), 0) FROM pending"), CultureInfo.InvariantCulture);

    /// <summary>
    /// Writes <paramref name="commits"/>, then <paramref name="updates"/> (each for a commit written before it), in one
    /// transaction. Each entry and each acknowledgement is one run of a prepared statement. Measured against that: a
    /// commit's entries inserted by one statement through json_each cost as much per entry, plus 140 bytes of JSON per
    /// purge; a flush's acknowledgements deleted by one such statement cost 6.6 µs a row against 2.7 µs.
    /// </summary>
    public void Save(IEnumerable<LoggedCommit> commits, IReadOnlyList<JournalUpdate> updates)
    {
        using var transaction = _connection.BeginTransaction();
        foreach (var commit in commits)
        {
            Insert(commit);
        }

        foreach (var update in updates)
        {
            Apply(update, transaction);
        }

        transaction.Commit();
    }

    public IReadOnlyList<JournalEntry> LoadPage(string endpoint, JournalCursor after, int limit) => Read(
        """
        SELECT endpoint, kind, value, seq, committed_at, attempts, last_error FROM pending
        WHERE endpoint = $e AND (seq > $s OR (seq = $s AND (kind > $k OR (kind = $k AND value > $v))))
        ORDER BY seq, kind, value LIMIT $n
        """,
        // The cache is the one asked for: reading its name back would cost a string per purge read back.
        reader => new JournalEntry(
            endpoint,
            new PurgeTarget((PurgeTargetKind)reader.GetInt32(1), reader.GetString(2)),
            reader.GetInt64(3),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)),
            reader.GetInt32(5),
            reader.IsDBNull(6) ? null : reader.GetString(6)),
        ("$e", endpoint), ("$s", after.Sequence), ("$k", after.Kind), ("$v", after.Value), ("$n", limit));

    public long? OldestPendingSequence() => Scalar(_connection, "SELECT MIN(seq) FROM pending") is long sequence ? sequence : null;

    public Dictionary<string, int> CountPending() =>
        Read("SELECT endpoint, COUNT(*) FROM pending GROUP BY endpoint", reader => (reader.GetString(0), reader.GetInt32(1)))
            .ToDictionary(row => row.Item1, row => row.Item2);

    public DeadLetterSummary GetDeadLetters() => Read(
            "SELECT COUNT(*), MAX(dead_at), (SELECT last_error FROM dead_letters ORDER BY dead_at DESC LIMIT 1) FROM dead_letters",
            reader => reader.GetInt32(0) == 0
                ? DeadLetterSummary.None
                : new DeadLetterSummary(reader.GetInt32(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.IsDBNull(2) ? null : reader.GetString(2)))
        .FirstOrDefault() ?? DeadLetterSummary.None;

    public List<(string Endpoint, PurgeTarget Target)> ReadDeadLetters() =>
        Read("SELECT endpoint, kind, value FROM dead_letters", reader => (reader.GetString(0), new PurgeTarget((PurgeTargetKind)reader.GetInt32(1), reader.GetString(2))));

    public void DeleteDeadLetters() => Scalar(_connection, "DELETE FROM dead_letters");

    public void SaveRecentResults(IReadOnlyList<PurgeResult> results)
    {
        using var transaction = _connection.BeginTransaction();
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

        transaction.Commit();
    }

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
            ("$n", limit)).OfType<PurgeResult>(),
    ];

    /// <summary>
    /// Copies the write-ahead log into the database file, on a connection of its own: SQLite would otherwise do it
    /// inside whichever commit crosses 1,000 pages, and that commit would wait milliseconds for it.
    /// </summary>
    public void Checkpoint()
    {
        lock (_checkpointLock)
        {
            if (!_disposed && _checkpointer is not null)
            {
                Scalar(_checkpointer, "PRAGMA wal_checkpoint(PASSIVE)");
            }
        }
    }

    /// <summary>Writes everything this journal holds into a new file at <paramref name="copyPath"/>, through SQLite's backup, whatever became of its own file.</summary>
    public void BackUpTo(string copyPath)
    {
        using var copy = Connect(copyPath);
        _connection.BackupDatabase(copy);

        // A file of its own, with no write-ahead log beside it, so that it can be moved.
        Scalar(copy, "PRAGMA journal_mode = DELETE");
    }

    /// <summary>Adds the pending entries and dead letters of the journal file at <paramref name="copyPath"/> to this one's.</summary>
    public void MergeFrom(string copyPath)
    {
        using (var attach = _connection.CreateCommand())
        {
            attach.CommandText = "ATTACH DATABASE $path AS moved";
            attach.Parameters.AddWithValue("$path", copyPath);
            attach.ExecuteNonQuery();
        }

        try
        {
            using var transaction = _connection.BeginTransaction();
            Execute(transaction, """
                INSERT INTO pending (endpoint, kind, value, seq, committed_at, attempts, last_error)
                SELECT endpoint, kind, value, seq, committed_at, attempts, last_error FROM moved.pending WHERE true
                ON CONFLICT (endpoint, kind, value) DO UPDATE SET seq = MAX(seq, excluded.seq)
                """);
            Execute(transaction, "INSERT OR IGNORE INTO dead_letters SELECT * FROM moved.dead_letters");
            transaction.Commit();
        }
        finally
        {
            Scalar(_connection, "DETACH DATABASE moved");
        }
    }

    public void Dispose()
    {
        lock (_checkpointLock)
        {
            _disposed = true;
            _checkpointer?.Dispose();
        }

        _append.Dispose();
        _complete.Dispose();
        _completeAll.Dispose();
        _recordFailure.Dispose();
        _connection.Dispose();
    }

    [DllImport("e_sqlite3", EntryPoint = "sqlite3_file_control")]
    private static extern int FileControl(IntPtr database, [MarshalAs(UnmanagedType.LPUTF8Str)] string name, int operation, ref int answer);

    private static SqliteConnection Connect(string dataSource, int busyTimeoutSeconds = 30)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = dataSource, Pooling = false, DefaultTimeout = busyTimeoutSeconds }.ToString());
        try
        {
            connection.Open();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    /// <summary>Inserts each entry of the commit, or moves an entry already pending for its target up to the commit.</summary>
    private void Insert(LoggedCommit commit)
    {
        var committedAt = commit.CommittedAt.ToUnixTimeMilliseconds();
        foreach (var (endpoint, target) in commit.Entries)
        {
            _append.Bind(1, endpoint).Bind(2, (int)target.Kind).Bind(3, target.Value).Bind(4, commit.Sequence).Bind(5, committedAt).Run();
        }
    }

    private void Apply(JournalUpdate update, SqliteTransaction transaction)
    {
        if (update.Kind == JournalUpdateKind.DeadLettered)
        {
            (string, object)[] key = [("$e", update.Endpoint), ("$k", (int)update.Target.Kind), ("$v", update.Target.Value), ("$r", update.Error!), ("$d", update.At.ToUnixTimeMilliseconds())];
            Execute(transaction, """
                INSERT OR REPLACE INTO dead_letters (endpoint, kind, value, committed_at, attempts, last_error, dead_at)
                SELECT endpoint, kind, value, committed_at, attempts, $r, $d FROM pending WHERE endpoint = $e AND kind = $k AND value = $v
                """, key);
            Execute(transaction, "DELETE FROM pending WHERE endpoint = $e AND kind = $k AND value = $v", key[..3]);
            return;
        }

        if (update.Kind == JournalUpdateKind.Delivered && update.Target.Kind != PurgeTargetKind.Everything)
        {
            // One per purge: the acknowledgement deletes its entry unless it was committed again after the request was sent.
            _complete.Bind(1, update.Endpoint).Bind(2, (int)update.Target.Kind).Bind(3, update.Target.Value).Bind(4, update.DeliveredSequence).Run();
            return;
        }

        var command = update.Kind == JournalUpdateKind.Failed ? _recordFailure : _completeAll;
        command.Transaction = transaction;
        command.Parameters["$e"].Value = update.Endpoint;
        if (command == _recordFailure)
        {
            command.Parameters["$k"].Value = (int)update.Target.Kind;
            command.Parameters["$v"].Value = update.Target.Value;
            command.Parameters["$r"].Value = update.Error;
        }
        else
        {
            command.Parameters["$s"].Value = update.DeliveredSequence;
        }

        command.ExecuteNonQuery();
    }

    private List<T> Read<T>(string sql, Func<SqliteDataReader, T> map, params (string Name, object Value)[] parameters)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        using var reader = command.ExecuteReader();
        List<T> rows = [];
        while (reader.Read())
        {
            rows.Add(map(reader));
        }

        return rows;
    }

    private void Execute(SqliteTransaction transaction, string sql, params (string Name, object Value)[] parameters)
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

    private SqliteCommand Prepare(string sql, params string[] parameterNames)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }
}
