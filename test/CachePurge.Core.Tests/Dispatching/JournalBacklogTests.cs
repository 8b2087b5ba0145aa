using CachePurge.Core.Journal;
using CachePurge.Core.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace CachePurge.Core.Tests.Dispatching;

/// <summary>A backlog larger than memory waits in the journal and is read back in pages, whatever the journal does.</summary>
public sealed class JournalBacklogTests : IAsyncLifetime
{
    private ScriptedCacheServer _cache = null!;

    public async Task InitializeAsync() => _cache = await ScriptedCacheServer.StartAsync();

    public async Task DisposeAsync() => await _cache.DisposeAsync();

    [Fact]
    public async Task A_backlog_read_that_fails_is_tried_again_and_every_purge_is_sent()
    {
        var endpoint = DispatcherFactory.Endpoint("c", _cache.BaseUrl, CacheKind.Squid);
        var options = DispatcherFactory.Options(endpoint);
        options.MaxPendingInMemory = 100;
        _cache.Gate = new TaskCompletionSource();
        FailingReads journal = null!;
        await using var dispatcher = new PurgeDispatcher("test", options, DispatcherFactory.HttpClientFactory, null, null, null, real => journal = new FailingReads(real, failures: 2));
        dispatcher.Start();

        for (var i = 0; i < 1_000; i += 10)
        {
            dispatcher.Commit([.. Enumerable.Range(i, 10).Select(n => $"/backlog/{n}")]);
        }

        _cache.Gate.SetResult();
        await dispatcher.DrainAsync(seconds: 30);

        Assert.Equal(2, journal.Failed);
        Assert.Equal(1_000, _cache.Requests.Select(r => r.PathAndQuery).Distinct().Count());
    }

    /// <summary>
    /// The engine's own journal, whose first reads of a page fail as a disk's I/O error makes them fail: the one fault
    /// this machine cannot produce on demand under a running engine.
    /// </summary>
    private sealed class FailingReads(IPurgeJournal journal, int failures) : IPurgeJournal
    {
        private int _failed;

        public int Failed => Volatile.Read(ref _failed);

        public long LastSequence => journal.LastSequence;

        public JournalStatus Status => journal.Status;

        public IReadOnlyList<JournalEntry> LoadPage(string endpoint, JournalCursor after, int limit)
        {
            if (Interlocked.Increment(ref _failed) <= failures)
            {
                throw new SqliteException("disk I/O error", 10);
            }

            Interlocked.Decrement(ref _failed);
            return journal.LoadPage(endpoint, after, limit);
        }

        public long Append(IReadOnlyList<(string Endpoint, PurgeTarget Target)> entries, DateTimeOffset committedAt) => journal.Append(entries, committedAt);

        public void Complete(string endpoint, PurgeTarget target, long deliveredSequence) => journal.Complete(endpoint, target, deliveredSequence);

        public void RecordFailure(string endpoint, PurgeTarget target, string error) => journal.RecordFailure(endpoint, target, error);

        public void DeadLetter(string endpoint, PurgeTarget target, string error, DateTimeOffset at) => journal.DeadLetter(endpoint, target, error, at);

        public long? OldestPendingSequence() => journal.OldestPendingSequence();

        public IReadOnlyDictionary<string, int> CountPending() => journal.CountPending();

        public DeadLetterSummary GetDeadLetters() => journal.GetDeadLetters();

        public IReadOnlyList<JournalEntry> ReplayDeadLetters(DateTimeOffset at) => journal.ReplayDeadLetters(at);

        public void Flush() => journal.Flush();

        public void SaveRecentResults(IReadOnlyList<PurgeResult> results) => journal.SaveRecentResults(results);

        public IReadOnlyList<PurgeResult> LoadRecentResults(int limit) => journal.LoadRecentResults(limit);

        public void Dispose() => journal.Dispose();
    }
}
