using CachePurge.Core.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace CachePurge.Core.Journal;

/// <summary>
/// Gets the journal's database back after a fault; the writer asks every second until it works. It opens a journal
/// that could not be opened, and makes again a file deleted or replaced under the engine. The engine's connection to
/// a lost file still reads everything written to it: SQLite's backup copies that to a new file beside it, the
/// connection is closed, and the copy becomes the journal, or is merged into the file that took the lost one's place.
/// SQLite does not checkpoint a moved file when it closes it, so the lost file's write-ahead log and shared memory
/// stay at the path, where the next connection would apply them to whatever file is there now: they are deleted
/// first (all they held is in the copy).
/// </summary>
internal sealed class JournalRecovery(string path, ILogger logger, CachePurgeMetrics metrics)
{
    private string? _whatHappened;
    private string? _copy;
    private bool _walLeftBehind;

    /// <summary>The database whose file was lost, until it is made again: it still reads what the engine wrote.</summary>
    public JournalDatabase? Lost { get; private set; }

    /// <summary>False when the file at the path is no longer <paramref name="database"/>'s: recovery then takes it over.</summary>
    public bool IsStillInPlace(JournalDatabase database)
    {
        if (database.WhatBecameOfTheFile() is not { } whatHappened)
        {
            return true;
        }

        metrics.JournalError();
        (Lost, _whatHappened) = (database, whatHappened);
        return false;
    }

    /// <summary>Opens the journal, made again from the lost file first if there is one; the opening says why not when it cannot.</summary>
    public JournalOpening TryOpen()
    {
        if (Lost is not null && CopyLost() is { } copyProblem)
        {
            return Failed(copyProblem);
        }

        // Never open the path while they are there: the new connection would apply them to the file it finds.
        if (_walLeftBehind)
        {
            if ((TryDelete(path + "-wal") ?? TryDelete(path + "-shm")) is { } problem)
            {
                return Failed($"the lost file's write-ahead log cannot be deleted: {problem}");
            }

            _walLeftBehind = false;
        }

        var opening = JournalOpener.Open(path, logger, metrics);
        if (opening.Database is not { } database)
        {
            return Failed(opening.Problem!);
        }

        int pending;
        try
        {
            if (_copy is not null)
            {
                database.MergeFrom(_copy);
                _ = TryDelete(_copy);
                _copy = null;
            }

            pending = database.CountPending().Values.Sum();
            opening = opening with { LastSequence = Math.Max(opening.LastSequence, database.MaxSequence()) };
        }
        catch (SqliteException ex)
        {
            database.Dispose();
            return Failed(JournalProblem.Describe(ex, path));
        }

        if (_whatHappened is not null)
        {
            CachePurgeLog.JournalMadeAgain(logger, path, _whatHappened, pending);
            _whatHappened = null;
        }

        return opening;
    }

    public void Dispose() => Lost?.Dispose();

    /// <summary>Copies the lost file's database beside the path and closes it; null when done, else why not.</summary>
    private string? CopyLost()
    {
        var copy = $"{path}.moved-{Guid.NewGuid():N}";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            Lost!.BackUpTo(copy);
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            _ = TryDelete(copy);
            return JournalProblem.Describe(ex, path);
        }

        Lost.Dispose();
        Lost = null;
        _walLeftBehind = true;
        try
        {
            if (!File.Exists(path))
            {
                File.Move(copy, path);
                return null;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Then it is merged into whatever opens at the path.
        }

        _copy = copy;
        return null;
    }

    private JournalOpening Failed(string problem) =>
        new(null, _whatHappened is null ? problem : $"it was {_whatHappened} while in use, and a new one cannot be made: {problem}", [], [], 0);

    /// <summary>Deletes <paramref name="file"/> if it is there; null when it is gone, else why not.</summary>
    private static string? TryDelete(string file)
    {
        try
        {
            File.Delete(file);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return JournalProblem.Describe(ex, null);
        }
    }
}
