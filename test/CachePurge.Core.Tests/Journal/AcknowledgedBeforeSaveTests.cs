using CachePurge.Core.Diagnostics;
using CachePurge.Core.Journal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace CachePurge.Core.Tests.Journal;

/// <summary>
/// A purge its cache acknowledges before the journal's next save is never written to SQLite; everything the
/// acknowledgement does not cover is saved as before. Against a real journal file, read through a connection of its own.
/// </summary>
public sealed class AcknowledgedBeforeSaveTests : IDisposable
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_000);
    private readonly string _directory = Directory.CreateTempSubdirectory("cachepurge-acked-").FullName;
    private readonly CachePurgeMetrics _metrics = new("test", null, () => [], () => []);
    private readonly SqlitePurgeJournal _journal;
    private readonly SqliteConnection _reader;

    public AcknowledgedBeforeSaveTests()
    {
        var path = Path.Combine(_directory, "journal.db");
        _journal = new SqlitePurgeJournal(path, 1_000, new HashSet<string> { "varnish" }, NullLogger.Instance, _metrics, TimeProvider.System);
        _reader = new SqliteConnection($"Data Source={path};Pooling=False");
        _reader.Open();
    }

    public void Dispose()
    {
        _reader.Dispose();
        _journal.Dispose();
        _metrics.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void A_purge_acknowledged_before_the_save_is_never_written_to_the_database()
    {
        var version = DataVersion();

        var sequence = _journal.Append(Entries("/a", "/b"), At);
        _journal.Complete("varnish", PurgeTarget.ForPath("/a"), sequence);
        _journal.Complete("varnish", PurgeTarget.ForPath("/b"), sequence);
        _journal.Flush();

        Assert.Equal(version, DataVersion());
        Assert.Empty(Pending());
    }

    [Fact]
    public void A_purge_not_acknowledged_is_written_at_the_save()
    {
        var version = DataVersion();

        _journal.Append(Entries("/a"), At);
        _journal.Flush();

        Assert.NotEqual(version, DataVersion());
        Assert.Equal(["/a"], Pending());
    }

    [Fact]
    public void Only_the_acknowledged_targets_of_a_commit_are_left_out()
    {
        var sequence = _journal.Append(Entries("/a", "/b", "/c"), At);
        _journal.Complete("varnish", PurgeTarget.ForPath("/b"), sequence);
        _journal.Flush();

        Assert.Equal(["/a", "/c"], Pending());
    }

    [Fact]
    public void A_purge_committed_again_after_its_request_was_sent_is_saved_all_the_same()
    {
        var sent = _journal.Append(Entries("/a"), At);
        var again = _journal.Append(Entries("/a"), At.AddSeconds(1));
        _journal.Complete("varnish", PurgeTarget.ForPath("/a"), sent);
        _journal.Flush();

        var entry = Assert.Single(_journal.LoadPage("varnish", JournalCursor.Start, 10));
        Assert.Equal(again, entry.Sequence);
    }

    [Fact]
    public void An_acknowledgement_also_deletes_the_older_commit_of_its_target_saved_before()
    {
        _journal.Append(Entries("/a"), At);
        _journal.Flush();
        var again = _journal.Append(Entries("/a"), At.AddSeconds(1));
        _journal.Complete("varnish", PurgeTarget.ForPath("/a"), again);
        _journal.Flush();

        Assert.Empty(Pending());
    }

    [Fact]
    public void A_purge_of_everything_acknowledged_before_the_save_covers_every_earlier_commit_of_its_cache_only()
    {
        var sequence = _journal.Append([.. Entries("/a", "/b"), ("squid", PurgeTarget.ForPath("/a"))], At);
        var later = _journal.Append(Entries("/c"), At);
        _journal.Complete("varnish", PurgeTarget.Everything, sequence);
        _journal.Flush();

        Assert.Equal(["/c"], Pending());
        Assert.Equal(["/a"], _journal.LoadPage("squid", JournalCursor.Start, 10).Select(e => e.Target.Value));
        Assert.True(later > sequence);
    }

    private static List<(string Endpoint, PurgeTarget Target)> Entries(params string[] paths) =>
        [.. paths.Select(p => ("varnish", PurgeTarget.ForPath(p)))];

    /// <summary>Changes whenever another connection commits a change to the file.</summary>
    private long DataVersion()
    {
        using var command = _reader.CreateCommand();
        command.CommandText = "PRAGMA data_version";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>What the database file itself holds for varnish, read past the journal's memory.</summary>
    private List<string> Pending()
    {
        using var command = _reader.CreateCommand();
        command.CommandText = "SELECT value FROM pending WHERE endpoint = 'varnish' ORDER BY value";
        using var reader = command.ExecuteReader();
        List<string> values = [];
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
