namespace CachePurge.Core.Journal;

/// <summary>
/// The commits SQLite has not taken in yet. A commit is one checksummed record copied into a
/// memory-mapped file (<see cref="CommitLogFile"/>) before <c>Commit</c> returns: it is then in the
/// operating system's page cache and survives the process being killed, at the price of a copy
/// instead of a SQLite transaction. The journal takes the commits (<see cref="TakeUnsaved"/>) and
/// says once SQLite holds them (<see cref="Saved"/>).
/// <para>
/// Each instance writes files of its own, locked while it lives (<c>&lt;journal&gt;.commits-&lt;id&gt;-0|1</c>), and
/// alternates between the two: while the records of one are being saved, new ones go to the other.
/// A file is emptied only once SQLite holds every commit in it, so while the journal cannot be written the
/// files keep what they hold, and the engine that stops then leaves them for the next one.
/// Files left by an instance that died or stopped so are read back by <see cref="RecoverLeftovers"/>.
/// </para>
/// <para>
/// The files are made by the first commit and given back once everything in them is saved and the engine is idle
/// (<see cref="ReleaseFiles"/>): an idle site keeps no files, and the next commit makes them again (two 4 MB files,
/// reserved at once: well under a millisecond). When they cannot be made, commits wait in memory for the journal's next
/// retry rather than each trying again.
/// </para>
/// </summary>
internal sealed class CommitLog : IDisposable
{
    private readonly Lock _lock = new();

    // Emptying a saved file takes this lock, not _lock, so that commits do not wait for it.
    private readonly Lock _fileLock = new();
    private readonly string? _journalPath;
    private readonly Action<Exception> _writeFailed;
    private readonly CommitLogFile?[] _files = new CommitLogFile?[2];
    private readonly long[] _used = new long[2];
    private readonly long[] _newest = new long[2];

    // Commits no file holds (a failed write, or no files): the journal alone has them, in memory until it saves them.
    private readonly Queue<long> _inNoFile = new();
    private List<LoggedCommit> _unsaved = [];
    private int _active;
    private long _lastSequence;
    private long _savedThrough;
    private long _unsavedBytes;
    private bool _stopped;
    private bool _disposed;

    // Files are made at the first commit (released: none made yet, or given back idle) unless making them failed
    // (then the journal's retry makes them).
    private bool _released = true;
    private volatile bool _createFailed;

    /// <param name="journalPath">The SQLite journal's path, or null to keep commits in memory only.</param>
    /// <param name="writeFailed">Told when a record could not be written; the commit then lives in memory only until it is saved.</param>
    public CommitLog(string? journalPath, long lastSequence, Action<Exception> writeFailed)
    {
        _journalPath = journalPath;
        _lastSequence = lastSequence;
        _savedThrough = lastSequence;
        _writeFailed = writeFailed;
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

    /// <summary>Whether commits go to files: they may not, when the files could not be made; given back while idle, they are made by the next commit.</summary>
    public bool HasFiles
    {
        get
        {
            lock (_lock)
            {
                return _journalPath is null || _files[0] is not null || (_released && !_createFailed);
            }
        }
    }

    /// <summary>
    /// Makes this instance's two files if it has none yet: when it was made, or again once the folder takes writes
    /// after it did not. False when they could not be made; commits are then safe from a kill only once saved.
    /// </summary>
    public bool TryCreateFiles()
    {
        lock (_lock)
        {
            if (_journalPath is null || _files[0] is not null)
            {
                return true;
            }
        }

        CommitLogFile?[] files = new CommitLogFile?[2];
        var id = Guid.NewGuid().ToString("N");
        try
        {
            for (var i = 0; i < 2; i++)
            {
                files[i] = new CommitLogFile($"{_journalPath}.commits-{id}-{i}");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // No room or no right for the files: commits still reach SQLite every 100 ms, they are just not safe from a kill until then.
            files[0]?.Dispose();
            _createFailed = true;
            _writeFailed(ex);
            return false;
        }

        lock (_lock)
        {
            if (_files[0] is null && !_stopped)
            {
                (_files[0], _files[1]) = (files[0], files[1]);
                (_active, _used[0], _used[1], _newest[0], _newest[1]) = (0, 0, 0, 0, 0);
                (_released, _createFailed) = (false, false);
                return true;
            }
        }

        files[0]!.Close(delete: true);
        files[1]!.Close(delete: true);
        return HasFiles;
    }

    /// <summary>
    /// Gives back the two files when everything they held is saved and nothing waits (the engine is idle); the next
    /// commit makes new ones. Does nothing while a file holds an unsaved commit.
    /// </summary>
    public void ReleaseFiles()
    {
        lock (_fileLock)
        {
            lock (_lock)
            {
                if (_disposed || _stopped || _files[0] is null || _unsaved.Count > 0 || _inNoFile.Count > 0)
                {
                    return;
                }

                for (var i = 0; i < 2; i++)
                {
                    if (_used[i] > 0 && _newest[i] > _savedThrough)
                    {
                        return;
                    }
                }

                for (var i = 0; i < 2; i++)
                {
                    _files[i]!.Close(delete: true);
                    _files[i] = null;
                }

                (_active, _used[0], _used[1], _newest[0], _newest[1]) = (0, 0, 0, 0, 0);
                _released = true;
            }
        }
    }

    /// <summary>Gives the batch the next sequence number and writes it; returns once the operating system has the record.</summary>
    public long Append(DateTimeOffset committedAt, IReadOnlyList<(string Endpoint, PurgeTarget Target)> entries)
    {
        if (_files[0] is null && _journalPath is not null && !_createFailed)
        {
            // The first commit, or the first since the files were given back idle.
            TryCreateFiles();
        }

        var record = CommitRecord.Encode(new LoggedCommit(0, committedAt, entries));
        lock (_lock)
        {
            var commit = new LoggedCommit(++_lastSequence, committedAt, entries);
            if (_stopped)
            {
                // The engine has stopped: no journal will take this commit.
                _writeFailed(new ObjectDisposedException(nameof(CommitLog), "A commit arrived after the purge journal was closed."));
                return commit.Sequence;
            }

            if (_files[_active] is { } file)
            {
                CommitRecord.Seal(record, commit.Sequence);
                try
                {
                    file.Write(_used[_active], record);
                    _used[_active] += record.Length;
                    _newest[_active] = commit.Sequence;
                }
                catch (IOException ex)
                {
                    _inNoFile.Enqueue(commit.Sequence);
                    _writeFailed(ex);
                }
            }
            else if (_journalPath is not null)
            {
                _inNoFile.Enqueue(commit.Sequence);
            }

            _unsaved.Add(commit);
            _unsavedBytes += record.Length;
            return commit.Sequence;
        }
    }

    /// <summary>
    /// The commits written since the last call. New commits go to the other file from now on if it is empty; if it
    /// still holds commits SQLite does not have, they go on into this one.
    /// </summary>
    public IReadOnlyList<LoggedCommit> TakeUnsaved()
    {
        lock (_lock)
        {
            var taken = _unsaved;
            _unsaved = [];
            _unsavedBytes = 0;
            var other = _active ^ 1;
            if (_files[other] is not null && _used[other] == 0 && _used[_active] > 0)
            {
                _active = other;
            }

            return taken;
        }
    }

    /// <summary>Says that SQLite holds every commit up to <paramref name="sequence"/>; empties the files that held only those.</summary>
    public void Saved(long sequence)
    {
        List<(int File, long Used)> saved = [];
        lock (_lock)
        {
            _savedThrough = Math.Max(_savedThrough, sequence);
            while (_inNoFile.TryPeek(out var inNoFile) && inNoFile <= sequence)
            {
                _inNoFile.Dequeue();
            }

            for (var i = 0; i < 2; i++)
            {
                if (i != _active && _files[i] is not null && _used[i] > 0 && _newest[i] <= sequence)
                {
                    saved.Add((i, _used[i]));
                }
            }
        }

        if (saved.Count == 0)
        {
            return;
        }

        lock (_fileLock)
        {
            if (_disposed)
            {
                return;
            }

            foreach (var (file, used) in saved)
            {
                _files[file]!.Clear(used);
            }
        }

        // Only now may an emptied file take commits again.
        lock (_lock)
        {
            foreach (var (file, _) in saved)
            {
                (_used[file], _newest[file]) = (0, 0);
            }
        }
    }

    /// <summary>Numbers the next commits after <paramref name="sequence"/>: after every commit of a journal opened since this log began.</summary>
    public void AdvanceSequence(long sequence)
    {
        lock (_lock)
        {
            _lastSequence = Math.Max(_lastSequence, sequence);
        }
    }

    /// <summary>The commits not saved yet that no file holds: they are lost if the engine stops before saving them.</summary>
    public HashSet<long> SequencesInNoFile()
    {
        lock (_lock)
        {
            return [.. _inNoFile];
        }
    }

    /// <summary>Refuses commits from now on, so that a last <see cref="TakeUnsaved"/> gets them all before <see cref="Dispose"/>.</summary>
    public void StopAppending()
    {
        lock (_lock)
        {
            _stopped = true;
        }
    }

    /// <summary>
    /// Closes this instance's files; deletes those whose commits SQLite holds and leaves the others, for the next
    /// engine on the journal to save. Returns how many files are left.
    /// </summary>
    public int Close()
    {
        StopAppending();
        var kept = 0;
        lock (_fileLock)
        {
            lock (_lock)
            {
                if (_disposed)
                {
                    return 0;
                }

                _disposed = true;
                for (var i = 0; i < 2; i++)
                {
                    if (_files[i] is not { } file)
                    {
                        continue;
                    }

                    var unsaved = _used[i] > 0 && _newest[i] > _savedThrough;
                    file.Close(delete: !unsaved);
                    kept += unsaved ? 1 : 0;
                }
            }
        }

        return kept;
    }

    public void Dispose() => Close();

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
        if (!Directory.Exists(directory))
        {
            return (commits, files, damaged);
        }

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
