using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace CachePurge.Core.Journal;

/// <summary>
/// A statement prepared once on the journal's connection and run with its arguments bound by position, for the two
/// statements that run once per purge (its insert and its delete). A <see cref="SqliteCommand"/> looks each parameter
/// up by name, boxes its value and makes a data reader on every run; for the insert, a batch went in as JSON that
/// SQLite parsed again. Runs inside the connection's open transaction, and throws <see cref="SqliteException"/> as a
/// command does, so that a full or read-only disk is reported the same way.
/// </summary>
internal sealed class PositionalStatement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;

    public PositionalStatement(SqliteConnection connection, string sql)
    {
        _database = connection.Handle!;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_database, sql, out _statement), _database);
    }

    /// <summary>Binds <paramref name="value"/> to <c>?<paramref name="position"/></c> (from 1).</summary>
    public PositionalStatement Bind(int position, string value)
    {
        SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_text(_statement, position, value), _database);
        return this;
    }

    public PositionalStatement Bind(int position, long value)
    {
        SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(_statement, position, value), _database);
        return this;
    }

    /// <summary>Runs the statement with the values bound, and makes it ready to run again.</summary>
    public void Run()
    {
        var result = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (result != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(result, _database);
        }
    }

    public void Dispose() => _statement.Dispose();
}
