using CachePurge.Core.Journal;

namespace CachePurge.Core.Tests.Journal;

/// <summary>What the journal keeps in memory while the disk refuses writes: like the database, and bounded.</summary>
public sealed class UnsavedPurgesTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_000);

    [Fact]
    public void A_target_committed_again_moves_up_and_keeps_its_first_commit_time()
    {
        var unsaved = new UnsavedPurges(100, 500, new HashSet<string>());

        unsaved.Add([Commit(1, "varnish", "/a"), Commit(2, "varnish", "/a", "/b")]);

        Assert.Equal(2, unsaved.Count);
        var a = unsaved.Page("varnish", JournalCursor.Start, 10).Single(e => e.Target.Value == "/a");
        Assert.Equal(2, a.Sequence);
        Assert.Equal(At.AddSeconds(1), a.FirstCommitted);
    }

    [Fact]
    public void An_acknowledgement_forgets_what_it_covers_but_not_a_later_commit()
    {
        var unsaved = new UnsavedPurges(100, 500, new HashSet<string>());
        unsaved.Add([Commit(1, "varnish", "/a", "/b"), Commit(3, "varnish", "/b")]);

        unsaved.Apply(JournalUpdate.Delivered("varnish", PurgeTarget.ForPath("/a"), 1));
        unsaved.Apply(JournalUpdate.Delivered("varnish", PurgeTarget.ForPath("/b"), 1));

        Assert.Equal(["/b"], unsaved.Page("varnish", JournalCursor.Start, 10).Select(e => e.Target.Value));
        unsaved.Apply(JournalUpdate.Delivered("varnish", PurgeTarget.Everything, 3));
        Assert.Equal(0, unsaved.Count);
    }

    [Fact]
    public void Above_the_bound_a_cache_that_can_purge_everything_gets_one_purge_of_everything_instead()
    {
        var unsaved = new UnsavedPurges(3, 15, new HashSet<string> { "varnish" });
        unsaved.Add([Commit(1, "varnish", "/a", "/b"), Commit(2, "varnish", "/c", "/d"), Commit(2, "squid", "/c", "/d")]);

        var overflow = Assert.Single(unsaved.KeepBounded());

        Assert.Equal(new UnsavedOverflow("varnish", 4, true, 2, At.AddSeconds(1)), overflow);
        var everything = Assert.Single(unsaved.Page("varnish", JournalCursor.Start, 10));
        Assert.Equal((PurgeTarget.Everything, 2L), (everything.Target, everything.Sequence));
        Assert.Equal(3, unsaved.Count); // the purge of everything and squid's two
    }

    [Fact]
    public void Above_five_times_the_bound_a_cache_that_cannot_purge_everything_gives_up_its_oldest_and_says_how_many()
    {
        var unsaved = new UnsavedPurges(1, 3, new HashSet<string>());
        unsaved.Add([Commit(1, "squid", "/a", "/b"), Commit(2, "squid", "/c"), Commit(3, "squid", "/d", "/e")]);

        var overflow = Assert.Single(unsaved.KeepBounded());

        Assert.Equal(new UnsavedOverflow("squid", 2, false, 0, default), overflow);
        Assert.Equal(["/c", "/d", "/e"], unsaved.Page("squid", JournalCursor.Start, 10).Select(e => e.Target.Value));
        Assert.Empty(unsaved.KeepBounded());
    }

    [Fact]
    public void Pages_read_in_the_database_s_order_after_a_cursor()
    {
        var unsaved = new UnsavedPurges(100, 500, new HashSet<string>());
        unsaved.Add([Commit(1, "varnish", "/b", "/a"), Commit(2, "varnish", "/c")]);
        unsaved.Add([new LoggedCommit(2, At, [("varnish", PurgeTarget.ForTag("t"))])]);

        var first = unsaved.Page("varnish", JournalCursor.Start, 2);
        var rest = unsaved.Page("varnish", JournalCursor.At(first[^1]), 10);

        Assert.Equal(["/a", "/b"], first.Select(e => e.Target.Value));
        Assert.Equal(["/c", "t"], rest.Select(e => e.Target.Value));
    }

    [Fact]
    public void A_page_from_the_database_and_one_from_memory_merge_in_order_without_duplicates()
    {
        JournalEntry Entry(long sequence, string path, int attempts = 0) => new("varnish", PurgeTarget.ForPath(path), sequence, At, attempts, null);
        List<JournalEntry> database = [Entry(1, "/a", attempts: 2), Entry(3, "/c")];
        List<JournalEntry> memory = [Entry(1, "/a"), Entry(2, "/b"), Entry(4, "/d")];

        var merged = JournalOrder.Merge(database, memory, 3);

        Assert.Equal(["/a", "/b", "/c"], merged.Select(e => e.Target.Value));
        Assert.Equal(2, merged[0].Attempts); // the database's, which knows the attempts
    }

    private static LoggedCommit Commit(long sequence, string endpoint, params string[] paths) =>
        new(sequence, At.AddSeconds(sequence), [.. paths.Select(p => (endpoint, PurgeTarget.ForPath(p)))]);
}
