using CachePurge.Core;

namespace CachePurge.Core.Tests.Rules;

public sealed class PurgeBatchTests
{
    private readonly RecordingQueue _queue = new();
    private readonly PurgeUrlNormalizer _normalizer = new(["www.example.com"]);

    [Fact]
    public void A_batch_that_is_never_committed_enqueues_nothing()
    {
        var batch = new PurgeBatch(_queue, _normalizer);
        batch.AddUrl("/a");
        batch.AddTag("ci-1");

        Assert.Empty(_queue.Enqueued);
    }

    [Fact]
    public void Commit_hands_over_the_distinct_normalized_targets_once()
    {
        var batch = new PurgeBatch(_queue, _normalizer);
        batch.AddUrl("/a");
        batch.AddUrl("https://www.example.com/a");
        batch.AddUrl("/./a#x");
        batch.AddTag("ci-1");
        batch.AddTag("ci-1");

        batch.Commit();

        var enqueued = Assert.Single(_queue.Enqueued);
        Assert.Equal([PurgeTarget.ForPath("/a"), PurgeTarget.ForTag("ci-1")], enqueued);
    }

    [Fact]
    public void A_refused_url_is_not_added_and_says_why()
    {
        var batch = new PurgeBatch(_queue, _normalizer);

        var result = batch.AddUrl("https://other.example/a");

        Assert.False(result.IsValid);
        Assert.Empty(batch.Targets);
    }

    [Fact]
    public void An_empty_batch_commits_without_enqueueing()
    {
        new PurgeBatch(_queue, _normalizer).Commit();

        Assert.Empty(_queue.Enqueued);
    }

    [Fact]
    public void A_batch_cannot_be_committed_or_changed_twice()
    {
        var batch = new PurgeBatch(_queue, _normalizer);
        batch.AddUrl("/a");
        batch.Commit();

        Assert.Throws<InvalidOperationException>(() => batch.Commit());
        Assert.Throws<InvalidOperationException>(() => batch.AddUrl("/b"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("line\nbreak")]
    [InlineData("caf\u00e9")]
    public void Tags_must_be_single_ascii_tokens(string tag)
    {
        Assert.Throws<ArgumentException>(() => new PurgeBatch(_queue, _normalizer).AddTag(tag));
    }

    private sealed class RecordingQueue : IPurgeQueue
    {
        public List<List<PurgeTarget>> Enqueued { get; } = [];

        public long Enqueue(IReadOnlyCollection<PurgeTarget> targets, string? endpoint = null)
        {
            Enqueued.Add([.. targets]);
            return Enqueued.Count;
        }
    }
}
