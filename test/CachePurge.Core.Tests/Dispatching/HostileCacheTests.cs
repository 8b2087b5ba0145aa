using System.Collections.Concurrent;
using CachePurge.Core;
using CachePurge.Core.Tests.Infrastructure;

namespace CachePurge.Core.Tests.Dispatching;

/// <summary>Caches that misbehave on the wire: the engine's promise is that a purge counts only when its own request was answered 2xx.</summary>
public sealed class HostileCacheTests : IAsyncDisposable
{
    private readonly RawHttpServer _cache = new();

    [Fact]
    public async Task A_stray_answer_is_never_taken_for_another_purge_s_and_every_path_answered_503_is_sent_again()
    {
        // Every fifth path is refused with 503 the first time it comes; the tenth request is followed by an answer no
        // request asked for. Taken for the next request's answer, it would count a 503'd path as purged.
        var refused = new ConcurrentDictionary<string, bool>();
        _cache.Answer = request =>
        {
            var index = int.Parse(request.Path[(request.Path.LastIndexOf('/') + 1)..]);
            var status = index % 5 == 0 && refused.TryAdd(request.Path, true) ? 503 : 200;
            return request.Number == 10 ? new RawAnswer(status, Stray: RawAnswer.Ok) : new RawAnswer(status);
        };
        var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl));
        options.RetryAttempts = 0;
        options.RecentResultsCapacity = 1_000;
        await using var dispatcher = DispatcherFactory.Start(options);
        var paths = Enumerable.Range(1, 200).Select(i => $"/stray/{i}").ToArray();

        dispatcher.Commit(paths);
        await dispatcher.DrainAsync();

        var answeredOk = _cache.Exchanges.Where(e => e.Status is >= 200 and < 300).GroupBy(e => e.Request.Path).ToDictionary(g => g.Key, g => g.Count());
        var countedPurged = dispatcher.GetRecentResults().Where(r => r.Outcome == PurgeOutcome.Purged).GroupBy(r => r.Target).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(40, refused.Count);
        Assert.All(paths, path => Assert.True(answeredOk.GetValueOrDefault(path) >= 1, $"{path} was never answered 2xx"));
        Assert.All(countedPurged, counted => Assert.True(
            counted.Value <= answeredOk.GetValueOrDefault(counted.Key),
            $"{counted.Key} counted purged {counted.Value} time(s), answered 2xx {answeredOk.GetValueOrDefault(counted.Key)} time(s)"));
        Assert.Equal(40, dispatcher.GetRecentResults().Count(r => r.Outcome == PurgeOutcome.Failed && r.Status == 503));
    }

    [Fact]
    public async Task One_slow_answer_does_not_hold_up_or_time_out_the_purges_queued_after_it()
    {
        _cache.Answer = request => request.Path == "/slow" ? new RawAnswer(200, Delay: TimeSpan.FromSeconds(30)) : RawAnswer.Ok;
        var endpoint = DispatcherFactory.Endpoint("c", _cache.BaseUrl);
        endpoint.Timeout = TimeSpan.FromSeconds(2);
        var options = DispatcherFactory.Options(endpoint);
        options.RecentResultsCapacity = 1_000;
        await using var dispatcher = DispatcherFactory.Start(options);
        var paths = Enumerable.Range(1, 100).Select(i => $"/fast/{i}").ToArray();

        dispatcher.Commit("/slow");
        await Eventually.WaitUntilAsync(() => _cache.ReceivedRequests.Any(r => r.Path == "/slow"), 10);
        dispatcher.Commit(paths);
        await Eventually.WaitUntilAsync(() => dispatcher.GetRecentResults().Count(r => r.Target.StartsWith("/fast/", StringComparison.Ordinal)) >= 100, 10);

        // Every fast purge was answered while the slow one was still waiting for its answer, each at its first try.
        var results = dispatcher.GetRecentResults();
        Assert.DoesNotContain(results, r => r.Target == "/slow");
        Assert.All(results, r => Assert.Equal(PurgeOutcome.Purged, r.Outcome));
        Assert.Equal(paths.Order(), results.Select(r => r.Target).Order());
        Assert.Equal(paths.Order(), _cache.ReceivedRequests.Select(r => r.Path).Where(p => p != "/slow").Order());
    }

    public ValueTask DisposeAsync() => _cache.DisposeAsync();
}
