namespace CachePurge.Core.Journal;

/// <summary>
/// The commits SQLite has not taken in yet. A commit is one checksummed record copied into a
/// memory-mapped file (<see cref="CommitLogFile"/>) before <c>Commit</c> returns: it is then in the
/// operating system's page cache and survives the process being killed, at the price of a copy
/// instead of a SQLite transaction. The journal moves the records into SQLite in groups
/// (<see cref="TakeUnsaved"/>, then <see cref="Saved"/>).
/// <para>
/// Each instance writes files of its own, locked while it lives (<c>&lt;journal&gt;.commits-&lt;id&gt;-0|1</c>), and
/// alternates between the two: while the records of one are being saved, new ones go to the
/// other, so a file is emptied only once all it holds is in SQLite. Files left by an instance
/// that died are read back by <see cref="RecoverLeftovers"/> when the next one opens the journal.
/// </para>
/// </summary>
internal sealed class CommitLog : IDisposable
{
    private readonly Lock _lock = new();

    // Emptying a saved file takes this lock, not _lock, so that commits do not wait for it.
    private readonly Lock _fileLock = new();
    private readonly Action<Exception> _writeFailed;
    private readonly CommitLogFile?[] _files = new CommitLogFile?[2];
    private readonly long[] _used = new long[2];
    private List<LoggedCommit> _unsaved = [];
    private int _active;
    private long _offset;
    private long _lastSequence;
    private long _unsavedBytes;
    private bool _stopped;
    private bool _disposed;

    /// <param name="journalPath">The SQLite journal's path, or null to keep commits in memory only.</param>
    /// <param name="writeFailed">Told when a record could not be written; the commit then lives in memory only until it is saved.</param>
    public CommitLog(string? journalPath, long lastSequence, Action<Exception> writeFailed)
    {
        _lastSequence = lastSequence;
        _writeFailed = writeFailed;
        if (journalPath is null)
        {
            return;
        }

        var id = Guid.NewGuid().ToString("N");
        try
        {
            for (var i = 0; i < 2; i++)
            {
                _files[i] = new CommitLogFile($"{journalPath}.commits-{id}-{i}");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No room or no right for the files: commits still reach SQLite every 100 ms, they are just not safe from a kill until then.
            _files[0]?.Dispose();
            _files[0] = null;
            writeFailed(ex);
        }
    }

    public long LastSequence
    {
        get
        {
            lock (_lock)
            {
                return _lastSequence;
            }
        }
    }

    /// <summary>Bytes of records written since the last <see cref="TakeUnsaved"/>: what SQLite has yet to take in.</summary>
    public long UnsavedBytes => Volatile.Read(ref _unsavedBytes);

    /// <summary>Gives the batch the next sequence number and writes it; returns once the operating system has the record.</summary>
    public long Append(DateTimeOffset committedAt, IReadOnlyList<(string Endpoint, PurgeTarget Target)> entries)
    {
        var record = CommitRecord.Encode(new LoggedCommit(0, committedAt, entries));
        lock (_lock)
        {
            var commit = new LoggedCommit(++_lastSequence, committedAt, entries);
            if (_stopped)
            {
                // The engine has stopped: like a journal write that failed, the commit lives in memory only.
                _writeFailed(new ObjectDisposedException(nameof(CommitLog), "A commit arrived after the purge journal was closed."));
                return commit.Sequence;
            }

            if (_files[_active] is { } file)
            {
                CommitRecord.Seal(record, commit.Sequence);
                try
                {
                    file.Write(_offset, record);
                    _offset += record.Length;
                }
                catch (IOException ex)
                {
                    _writeFailed(ex);
                }
            }

            _unsaved.Add(commit);
            _unsavedBytes += record.Length;
            return commit.Sequence;
        }
    }

    /// <summary>The commits written since the last call, and the file that holds them; new commits go to the other file from now on.</summary>
    public (IReadOnlyList<LoggedCommit> Commits, int File) TakeUnsaved()
    {
        lock (_lock)
        {
            var taken = _unsaved;
            if (taken.Count == 0)
            {
                return ([], -1);
            }

            _unsaved = [];
            _unsavedBytes = 0;
            var full = _active;
            _used[full] = _offset;
            _active ^= 1;
            _offset = 0;
            return (taken, full);
        }
    }

    /// <summary>Empties <paramref name="file"/> (from <see cref="TakeUnsaved"/>) once SQLite holds its commits.</summary>
    public void Saved(int file)
    {
        lock (_fileLock)
        {
            if (file >= 0 && !_disposed && _files[file] is { } logFile)
            {
                logFile.Clear(_used[file]);
            }
        }
    }

    /// <summary>Refuses commits from now on, so that a last <see cref="TakeUnsaved"/> gets them all before <see cref="Dispose"/> deletes the files.</summary>
    public void StopAppending()
    {
        lock (_lock)
        {
            _stopped = true;
        }
    }

    /// <summary>Closes and deletes this instance's files; call once everything taken has been saved.</summary>
    public void Dispose()
    {
        StopAppending();

        lock (_fileLock)
        {
            _disposed = true;
            foreach (var file in _files)
            {
                file?.Dispose();
            }
        }
    }

    /// <summary>
    /// Reads the commit files of instances that are gone (a file still locked belongs to a live
    /// instance and is left alone). Returns their commits in sequence order, the files to delete
    /// once the commits are saved, and any file whose middle is damaged: its records up to the
    /// damage are returned. A record cut short at the end is what a killed writer leaves and is
    /// not an error: its <c>Commit</c> never returned.
    /// </summary>
    public static (List<LoggedCommit> Commits, List<string> Files, List<string> Damaged) RecoverLeftovers(string journalPath)
    {
        List<LoggedCommit> commits = [];
        List<string> files = [];
        List<string> damaged = [];
        var directory = Path.GetDirectoryName(Path.GetFullPath(journalPath))!;
        foreach (var path in Directory.EnumerateFiles(directory, Path.GetFileName(journalPath) + ".commits-*"))
        {
            byte[] bytes;
            try
            {
                using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.None);
                bytes = new byte[RandomAccess.GetLength(handle)];
                RandomAccess.Read(handle, bytes, 0);
            }
            catch (IOException)
            {
                continue;
            }

            if (!CommitRecord.TryDecode(bytes, commits))
            {
                damaged.Add(path);
            }

            files.Add(path);
        }

        commits.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        return (commits, files, damaged);
    }
}
