using Microsoft.Data.Sqlite;

namespace CachePurge.Core.Journal;

/// <summary>
/// Says in words why the journal's file cannot be used, for the log and the operations page. SQLite often cannot say
/// why ("unable to open database file" for a read-only file system, a missing right or a missing folder), so the
/// folder is tried with a file of one byte: what the operating system answers is the reason given.
/// </summary>
internal static class JournalProblem
{
    private const int NoSpace = 28; // ENOSPC
    private const int ReadOnlyFileSystem = 30; // EROFS

    public static string Describe(Exception exception, string? journalPath)
    {
        var reason = KnownReason(exception) ?? (journalPath is null ? null : ProbeFolder(journalPath));
        return reason is null ? exception.Message : $"{reason}: {exception.Message}";
    }

    /// <summary>A damaged file, which is set aside; every other problem may go away and is tried again.</summary>
    public static bool IsDamage(Exception exception) =>
        exception is InvalidDataException or SqliteException { SqliteErrorCode: 11 or 26 }; // SQLITE_CORRUPT, SQLITE_NOTADB

    private static string? KnownReason(Exception exception) => exception switch
    {
        SqliteException { SqliteErrorCode: 13 } => "the disk is full",
        SqliteException { SqliteErrorCode: 11 or 26 } or InvalidDataException => "the file is damaged",
        IOException { HResult: NoSpace } => "the disk is full",
        IOException { HResult: ReadOnlyFileSystem } => "the file system is read-only",
        UnauthorizedAccessException => "permission denied",
        _ => null,
    };

    private static string? ProbeFolder(string journalPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(journalPath))!;
        try
        {
            Directory.CreateDirectory(folder);
            using var probe = new FileStream(Path.Combine(folder, $".cachepurge-probe-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            probe.WriteByte(0);
            probe.Flush();
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return KnownReason(ex) ?? $"its folder cannot be written ({ex.Message})";
        }
    }
}
