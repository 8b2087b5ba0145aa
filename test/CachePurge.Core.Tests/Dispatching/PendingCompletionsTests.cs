using CachePurge.Core.Diagnostics;
using CachePurge.Core.Dispatching;
using CachePurge.Core.Protocols;
using Microsoft.Extensions.Logging.Abstractions;

namespace CachePurge.Core.Tests.Dispatching;

/// <summary>The tracker of purges a CDN completes later, with the CDN's answers scripted.</summary>
public sealed class PendingCompletionsTests
{
    [Fact]
    public async Task Sends_wait_while_the_purges_in_progress_hold_the_cdns_limit_and_go_on_once_one_completes()
    {
        var done = new TaskCompletionSource();
        await using var tracker = Tracker(maxItemsInProgress: 3_000, ask: async _ =>
        {
            await Task.Yield();
            return new CompletionPoll(new CompletionAnswer(done.Task.IsCompleted ? CompletionStatus.Completed : CompletionStatus.InProgress), TimeSpan.FromMilliseconds(20));
        });

        tracker.Track(new PurgeTicket("I1", 2_950, Estimated: TimeSpan.FromMilliseconds(10)), [PurgeTarget.ForPath("/a")], DateTimeOffset.UtcNow, reserved: 0);

        // 50 more fit, and are held for their call while it is in flight; 1 more would then pass 3,000 paths in progress.
        var fits = tracker.WaitForRoomAsync(50, CancellationToken.None);
        Assert.True(fits.IsCompleted);
        Assert.Equal(50, await fits);
        var waiting = tracker.WaitForRoomAsync(1, CancellationToken.None).AsTask();
        await Task.Delay(200);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(3_000, tracker.ItemsInProgress);

        // The CDN refused the call of 50: its room is given back, and the waiting call goes on.
        tracker.Release(50);
        Assert.Equal(1, await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(2_951, tracker.ItemsInProgress);

        var more = tracker.WaitForRoomAsync(100, CancellationToken.None).AsTask();
        await Task.Delay(200);
        Assert.False(more.IsCompleted);

        done.SetResult();
        await more.WaitAsync(TimeSpan.FromSeconds(10));
        tracker.Release(1);
        Assert.Equal(100, tracker.ItemsInProgress);
    }

    [Fact]
    public async Task A_purge_the_cdn_cannot_be_asked_about_is_asked_again_never_given_up()
    {
        var asked = 0;
        await using var tracker = Tracker(maxItemsInProgress: 0, ask: _ =>
        {
            var answer = Interlocked.Increment(ref asked) < 4
                ? new CompletionAnswer(CompletionStatus.InProgress, "no answer within 5 s")
                : new CompletionAnswer(CompletionStatus.Completed);
            return ValueTask.FromResult(new CompletionPoll(answer, TimeSpan.FromMilliseconds(10)));
        });

        tracker.Track(new PurgeTicket("I2", 1, Estimated: TimeSpan.FromMilliseconds(10)), [PurgeTarget.ForPath("/b")], DateTimeOffset.UtcNow, reserved: 0);
        await Eventually.WaitUntilAsync(() => tracker.Snapshot().Completed.Count == 1, seconds: 10);

        Assert.Equal(4, asked);
        Assert.Null(tracker.Snapshot().Completed[0].Failed);
        await Eventually.WaitUntilAsync(() => !tracker.IsScheduled, seconds: 5);
    }

    [Fact]
    public async Task A_question_the_protocol_cannot_make_is_asked_again_and_the_worker_goes_on()
    {
        var asked = 0;
        await using var tracker = Tracker(maxItemsInProgress: 0, ask: _ => Interlocked.Increment(ref asked) == 1
            ? throw new InvalidOperationException("An invalid request URI was provided.")
            : ValueTask.FromResult(new CompletionPoll(new CompletionAnswer(CompletionStatus.Completed))));

        tracker.Track(new PurgeTicket("I4", 1, Estimated: TimeSpan.FromMilliseconds(10)), [PurgeTarget.ForPath("/e")], DateTimeOffset.UtcNow, reserved: 0);

        // Asked again at the doubled interval, as any question that got no answer.
        await Eventually.WaitUntilAsync(() => tracker.Snapshot().Completed.Count == 1, seconds: 10);
        Assert.Equal(2, asked);
    }

    [Fact]
    public async Task A_failed_purge_hands_its_targets_back_to_be_sent_again()
    {
        List<PurgeTarget> again = [];
        await using var tracker = Tracker(
            maxItemsInProgress: 0,
            ask: _ => ValueTask.FromResult(new CompletionPoll(new CompletionAnswer(CompletionStatus.Failed, "operation Canceled"))),
            sendAgain: targets => again.AddRange(targets));

        PurgeTarget[] targets = [PurgeTarget.ForPath("/c"), PurgeTarget.ForPath("/d")];
        tracker.Track(new PurgeTicket("I3", 2, Estimated: TimeSpan.FromMilliseconds(10)), targets, DateTimeOffset.UtcNow, reserved: 0);
        await Eventually.WaitUntilAsync(() => tracker.Snapshot().Completed.Count == 1, seconds: 10);

        Assert.Equal(targets, again);
        Assert.Equal("operation Canceled", tracker.Snapshot().Completed[0].Failed);
    }

    private static PendingCompletions Tracker(int maxItemsInProgress, Func<PurgeTicket, ValueTask<CompletionPoll>> ask, Action<IReadOnlyCollection<PurgeTarget>>? sendAgain = null) => new(
        "cdn",
        maxItemsInProgress,
        (ticket, _) => ask(ticket),
        cancellationToken => new AttemptTimeout(TimeSpan.FromSeconds(5), cancellationToken),
        sendAgain ?? (_ => { }),
        new CachePurgeMetrics("test", null, () => [], () => []),
        TimeProvider.System,
        NullLogger.Instance);
}
