using CachePurge.Core.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CachePurge.Core.Journal;

/// <summary>
/// Opening the journal, when the engine starts and again after a fault. A damaged file is set aside and a new one
/// made (the log says so only once the file was moved); a journal that cannot be opened for any other reason (a
/// read-only or full disk, no right, a missing folder) is reported, for the engine to go on in memory and try again.
/// Commit logs left by engines that are gone are read back, for the journal to save.
/// </summary>
internal static class JournalOpener
{
    public static JournalOpening Open(string? path, ILogger logger, CachePurgeMetrics metrics)
    {
        if (path is null)
        {
            return new JournalOpening(JournalDatabase.Open(null), null, [], [], 0);
        }

        var (database, problem) = OpenOrSetAside(path, logger, metrics);
        var (leftovers, files) = ReadLeftovers(path, logger, metrics);
        var last = leftovers.Count > 0 ? leftovers[^1].Sequence : 0;
        if (database is not null)
        {
            try
            {
                last = Math.Max(last, database.MaxSequence());
            }
            catch (SqliteException ex)
            {
                metrics.JournalError();
                problem = JournalProblem.Describe(ex, path);
                database.Dispose();
                database = null;
            }
        }

        return new JournalOpening(database, problem, leftovers, files, last);
    }

    private static (JournalDatabase? Database, string? Problem) OpenOrSetAside(string path, ILogger logger, CachePurgeMetrics metrics)
    {
        try
        {
            return (JournalDatabase.Open(path), null);
        }
        catch (Exception damage) when (JournalProblem.IsDamage(damage))
        {
            metrics.JournalError();
            var setAside = $"{path}.corrupt-{DateTime.UtcNow:yyyyMMddHHmmss}";
            try
            {
                foreach (var suffix in new[] { "", "-wal", "-shm" })
                {
                    if (File.Exists(path + suffix))
                    {
                        File.Move(path + suffix, setAside + suffix, overwrite: true);
                    }
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return (null, $"the file is damaged ({damage.Message}) and could not be set aside: {JournalProblem.Describe(ex, null)}");
            }

            // The journal is a safety net: a damaged file must never stop purging.
            CachePurgeLog.JournalSetAside(logger, damage, path, setAside);
            return TryOpen(path, metrics);
        }
        catch (Exception ex) when (IsUnavailable(ex))
        {
            metrics.JournalError();
            return (null, JournalProblem.Describe(ex, path));
        }
    }

    private static (JournalDatabase? Database, string? Problem) TryOpen(string path, CachePurgeMetrics metrics)
    {
        try
        {
            return (JournalDatabase.Open(path), null);
        }
        catch (Exception ex) when (IsUnavailable(ex) || JournalProblem.IsDamage(ex))
        {
            metrics.JournalError();
            return (null, JournalProblem.Describe(ex, path));
        }
    }

    private static bool IsUnavailable(Exception exception) => exception is SqliteException or IOException or UnauthorizedAccessException;

    private static (IReadOnlyList<LoggedCommit> Commits, IReadOnlyList<string> Files) ReadLeftovers(string path, ILogger logger, CachePurgeMetrics metrics)
    {
        try
        {
            var (commits, files, damaged) = CommitLog.RecoverLeftovers(path);
            foreach (var file in damaged)
            {
                metrics.JournalError();
                CachePurgeLog.CommitLogDamaged(logger, file);
            }

            return (commits, files);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A folder that cannot be read: the leftovers wait there for an engine that can.
            return ([], []);
        }
    }
}
