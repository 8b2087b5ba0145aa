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
        List<LoggedCommit> written = [new(1, At, """[["varnish",0,"/a"]]"""), new(2, At.AddSeconds(1), """[["varnish",0,"/ü?x=1"]]""")];
        List<LoggedCommit> read = [];

        Assert.True(CommitLog.TryDecode([.. written.SelectMany(CommitLog.Encode)], read));

        Assert.Equal(written, read);
    }

    [Fact]
    public void A_record_cut_short_at_the_end_is_what_a_killed_writer_leaves_and_is_not_damage()
    {
        var whole = CommitLog.Encode(new(1, At, """[["varnish",0,"/a"]]"""));
        var cut = CommitLog.Encode(new(2, At, """[["varnish",0,"/b"]]"""))[..^5];
        List<LoggedCommit> read = [];

        Assert.True(CommitLog.TryDecode([.. whole, .. cut], read));

        Assert.Equal([1L], read.Select(c => c.Sequence));
    }

    [Fact]
    public void A_damaged_record_stops_the_reading_and_is_reported()
    {
        var first = CommitLog.Encode(new(1, At, """[["varnish",0,"/a"]]"""));
        var damaged = CommitLog.Encode(new(2, At, """[["varnish",0,"/b"]]"""));
        damaged[^3] ^= 0xFF;
        var third = CommitLog.Encode(new(3, At, """[["varnish",0,"/c"]]"""));
        List<LoggedCommit> read = [];

        Assert.False(CommitLog.TryDecode([.. first, .. damaged, .. third], read));

        Assert.Equal([1L], read.Select(c => c.Sequence));
    }

    [Fact]
    public void Files_of_an_instance_that_is_gone_are_recovered_and_those_of_a_live_one_are_left_alone()
    {
        File.WriteAllBytes(JournalPath + ".commits-dead-0", [.. CommitLog.Encode(new(7, At, """[["varnish",0,"/b"]]"""))]);
        File.WriteAllBytes(JournalPath + ".commits-dead-1", [.. CommitLog.Encode(new(5, At, """[["varnish",0,"/a"]]"""))]);
        using var live = new CommitLog(JournalPath, 100, ex => throw ex);
        live.Append(At, """[["varnish",0,"/live"]]""");

        var (commits, files, damaged) = CommitLog.RecoverLeftovers(JournalPath);

        Assert.Equal([5L, 7L], commits.Select(c => c.Sequence));
        Assert.Equal(["journal.db.commits-dead-0", "journal.db.commits-dead-1"], files.Select(Path.GetFileName).Order());
        Assert.Empty(damaged);
    }

    [Fact]
    public void A_file_is_emptied_only_once_its_commits_are_saved_and_new_commits_go_to_the_other()
    {
        using var log = new CommitLog(JournalPath, 0, ex => throw ex);
        log.Append(At, """[["varnish",0,"/a"]]""");

        var (taken, file) = log.TakeUnsaved();
        log.Append(At, """[["varnish",0,"/b"]]""");

        Assert.Equal([1L], taken.Select(c => c.Sequence));
        Assert.Equal([1L, 2L], ReadOwnFiles().Select(c => c.Sequence).Order());
        log.Saved(file);
        Assert.Equal([2L], ReadOwnFiles().Select(c => c.Sequence));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

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
            Assert.True(CommitLog.TryDecode(memory.ToArray(), commits));
        }

        return commits;
    }
}
