using CachePurge.Core.Journal;

namespace CachePurge.Core.Tests.Journal;

public sealed class CommitLogTests : IDisposable
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_000);
    private readonly string _directory = Directory.CreateTempSubdirectory("cachepurge-commitlog-").FullName;

    private string JournalPath => Path.Combine(_directory, "journal.db");

    [Fact]
    public void Records_read_back_are_the_commits_written()
    {
        List<LoggedCommit> written = [new(1, At, Entries("/a")), new(2, At.AddSeconds(1), [("varnish", PurgeTarget.ForPath("/ü?x=1")), ("squid", PurgeTarget.ForTag("ci-1"))])];
        List<LoggedCommit> read = [];

        Assert.True(CommitRecord.TryDecode([.. written.SelectMany(CommitRecord.Encode)], read));

        Assert.Equal(written.Select(Describe), read.Select(Describe));
    }

    [Fact]
    public void A_record_cut_short_at_the_end_is_what_a_killed_writer_leaves_and_is_not_damage()
    {
        var whole = CommitRecord.Encode(new(1, At, Entries("/a")));
        var cut = CommitRecord.Encode(new(2, At, Entries("/b")))[..(CommitRecord.HeaderBytes + 12)];
        List<LoggedCommit> read = [];

        Assert.True(CommitRecord.TryDecode([.. whole, .. cut], read));

        Assert.Equal([1L], read.Select(c => c.Sequence));
    }

    [Fact]
    public void A_damaged_record_stops_the_reading_and_is_reported()
    {
        var first = CommitRecord.Encode(new(1, At, Entries("/a")));
        var damaged = CommitRecord.Encode(new(2, At, Entries("/b")));
        damaged[CommitRecord.HeaderBytes + 2] ^= 0xFF; // inside the sequence number
        var third = CommitRecord.Encode(new(3, At, Entries("/c")));
        List<LoggedCommit> read = [];

        Assert.False(CommitRecord.TryDecode([.. first, .. damaged, .. third], read));

        Assert.Equal([1L], read.Select(c => c.Sequence));
    }

    [Fact]
    public void Files_of_an_instance_that_is_gone_are_recovered_and_those_of_a_live_one_are_left_alone()
    {
        File.WriteAllBytes(JournalPath + ".commits-dead-0", [.. CommitRecord.Encode(new(7, At, Entries("/b")))]);
        File.WriteAllBytes(JournalPath + ".commits-dead-1", [.. CommitRecord.Encode(new(5, At, Entries("/a")))]);
        using var live = new CommitLog(JournalPath, 100, ex => throw ex);
        live.Append(At, Entries("/live"));

        var (commits, files, damaged) = CommitLog.RecoverLeftovers(JournalPath);

        Assert.Equal([5L, 7L], commits.Select(c => c.Sequence));
        Assert.Equal(["journal.db.commits-dead-0", "journal.db.commits-dead-1"], files.Select(Path.GetFileName).Order());
        Assert.Empty(damaged);
    }

    [Fact]
    public void A_file_is_emptied_only_once_its_commits_are_saved_and_new_commits_go_to_the_other()
    {
        using var log = new CommitLog(JournalPath, 0, ex => throw ex);
        log.Append(At, Entries("/a"));

        var taken = log.TakeUnsaved();
        log.Append(At, Entries("/b"));

        Assert.Equal([1L], taken.Select(c => c.Sequence));
        Assert.Equal([1L, 2L], ReadOwnFiles().Select(c => c.Sequence).Order());
        log.Saved(taken[^1].Sequence);
        Assert.Equal([2L], ReadOwnFiles().Select(c => c.Sequence));
    }

    [Fact]
    public void Commits_the_journal_could_not_save_stay_in_the_files_until_it_does()
    {
        using var log = new CommitLog(JournalPath, 0, ex => throw ex);
        log.Append(At, Entries("/a"));
        log.TakeUnsaved(); // and the journal refuses them: nothing is said saved

        log.Append(At, Entries("/b"));
        log.TakeUnsaved();
        log.Append(At, Entries("/c"));
        Assert.Equal([1L, 2L, 3L], ReadOwnFiles().Select(c => c.Sequence).Order());

        // Saved at last: the file not written to is emptied at once, the other once commits go elsewhere.
        log.Saved(3);
        Assert.Equal([2L, 3L], ReadOwnFiles().Select(c => c.Sequence).Order());
        log.TakeUnsaved();
        log.Saved(3);
        Assert.Empty(ReadOwnFiles());
    }

    [Fact]
    public void Closing_leaves_the_files_of_unsaved_commits_for_the_next_engine_and_deletes_the_others()
    {
        var log = new CommitLog(JournalPath, 0, ex => throw ex);
        log.Append(At, Entries("/saved"));
        log.Saved(log.TakeUnsaved()[^1].Sequence);
        log.Append(At, Entries("/not-saved"));

        Assert.Equal(1, log.Close());

        var (commits, files, _) = CommitLog.RecoverLeftovers(JournalPath);
        Assert.Equal([2L], commits.Select(c => c.Sequence));
        Assert.Single(files);
    }

    [Fact]
    public void A_log_that_could_not_make_its_files_makes_them_when_the_folder_takes_writes()
    {
        List<Exception> failures = [];
        var folder = Path.Combine(_directory, "later");
        using var log = new CommitLog(Path.Combine(folder, "journal.db"), 0, failures.Add);
        log.Append(At, Entries("/in-memory"));
        Assert.False(log.HasFiles);
        Assert.Single(failures);
        Assert.Equal([1L], log.SequencesInNoFile());

        // The next commits do not try again each: the journal's retry does.
        log.Append(At, Entries("/in-memory-too"));
        Assert.Single(failures);

        Directory.CreateDirectory(folder);
        Assert.True(log.TryCreateFiles());
        log.Append(At, Entries("/a"));

        Assert.Equal(2, Directory.GetFiles(folder, "journal.db.commits-*").Length);
        Assert.Equal([1L, 2L], log.SequencesInNoFile().Order());
    }

    [Fact]
    public void The_files_are_made_by_the_first_commit_and_given_back_only_once_everything_in_them_is_saved()
    {
        using var log = new CommitLog(JournalPath, 0, ex => throw ex);
        Assert.Empty(OwnFiles());

        log.Append(At, Entries("/a"));
        Assert.Equal(2, OwnFiles().Length);

        // Not yet saved: the files keep it from a kill.
        log.ReleaseFiles();
        Assert.Equal(2, OwnFiles().Length);
        Assert.Equal([1L], ReadOwnFiles().Select(c => c.Sequence));

        log.Saved(log.TakeUnsaved()[^1].Sequence);
        log.ReleaseFiles();
        Assert.Empty(OwnFiles());
        Assert.True(log.HasFiles);

        // The next commit makes new files and is in them before Append returns.
        log.Append(At, Entries("/b"));
        Assert.Equal(2, OwnFiles().Length);
        Assert.Equal([2L], ReadOwnFiles().Select(c => c.Sequence));
        Assert.Empty(log.SequencesInNoFile());
    }

    [Fact]
    public void A_batch_larger_than_the_mapped_file_is_written_past_it_and_cleared_with_the_rest()
    {
        using var log = new CommitLog(JournalPath, 0, ex => throw ex);
        var huge = Enumerable.Range(0, 120_000).Select(i => ("varnish", PurgeTarget.ForPath($"/a/rather/long/path/to/page/{i:D8}"))).ToList();
        log.Append(At, Entries("/small"));
        log.Append(At, huge);

        Assert.Equal([1L, 2L], ReadOwnFiles().Select(c => c.Sequence));
        Assert.Equal(huge.Count, ReadOwnFiles()[1].Entries.Count);

        log.Saved(log.TakeUnsaved()[^1].Sequence);
        Assert.Empty(ReadOwnFiles());
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static List<(string Endpoint, PurgeTarget Target)> Entries(string path) => [("varnish", PurgeTarget.ForPath(path))];

    private static string Describe(LoggedCommit commit) =>
        $"{commit.Sequence} {commit.CommittedAt:O} {string.Join(" ", commit.Entries.Select(e => $"{e.Endpoint}:{e.Target.Kind}:{e.Target.Value}"))}";

    private string[] OwnFiles() => Directory.GetFiles(_directory, "journal.db.commits-*");

    /// <summary>Reads this test's live log files with cat: .NET itself would ask for the lock the live log holds.</summary>
    private List<LoggedCommit> ReadOwnFiles()
    {
        List<LoggedCommit> commits = [];
        foreach (var path in Directory.EnumerateFiles(_directory, "journal.db.commits-*"))
        {
            using var cat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cat", [path]) { RedirectStandardOutput = true })!;
            using var memory = new MemoryStream();
            cat.StandardOutput.BaseStream.CopyTo(memory);
            cat.WaitForExit();
            Assert.True(CommitRecord.TryDecode(memory.ToArray(), commits));
        }

        return commits;
    }
}
