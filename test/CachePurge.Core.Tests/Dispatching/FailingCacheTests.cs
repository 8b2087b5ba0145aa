using System.Diagnostics;
using CachePurge.Core;
using CachePurge.Core.Dispatching;
using CachePurge.Core.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CachePurge.Core.Tests.Dispatching;

/// <summary>
/// A cache that fails: the engine stays quiet (one warning a minute, not one per purge), holds its purges back while
/// the circuit is open, and lets them go about a second after a cache that failed in a burst answers again. The
/// engine's clock is a fake one that the tests move on; the cache and its answers are real.
/// </summary>
public sealed class FailingCacheTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly FakeLogCollector _logs = new();
    private ScriptedCacheServer _cache = null!;
    private ILoggerFactory _loggerFactory = null!;

    public async Task InitializeAsync()
    {
        _cache = await ScriptedCacheServer.StartAsync();
        _loggerFactory = LoggerFactory.Create(builder => builder.AddProvider(new FakeLoggerProvider(_logs)));
    }

    public async Task DisposeAsync()
    {
        _loggerFactory.Dispose();
        await _cache.DisposeAsync();
    }

    [Fact]
    public async Task After_a_burst_of_failures_a_cache_that_answers_again_gets_its_purges_after_a_one_second_break()
    {
        // Ten purges tried twice each: twenty 503s open the circuit; then the cache is fine.
        var answered = 0;
        _cache.Respond = _ => Interlocked.Increment(ref answered) <= CircuitBreaker.MinimumThroughput ? 503 : 200;
        var dispatcher = Start(redeliveryDelay: TimeSpan.FromMilliseconds(500));
        try
        {
            dispatcher.Commit([.. Enumerable.Range(0, 10).Select(i => $"/burst/{i}")]);
            await AdvanceUntilAsync(() => Failed(dispatcher) >= 10, TimeSpan.FromMilliseconds(10));

            for (var i = 0; i < 11; i++)
            {
                _time.Advance(TimeSpan.FromMilliseconds(100));
                await Task.Delay(20);
            }

            // The clock now stands still: what was held back or is waiting for redelivery is due.
            await dispatcher.DrainAsync(seconds: 10);
            Assert.Equal(30, _cache.Requests.Count);
        }
        finally
        {
            await dispatcher.StopAsync(TimeSpan.Zero);
        }
    }

    [Fact]
    public async Task While_the_circuit_is_open_a_cache_that_is_down_gets_no_requests_and_its_purges_wait_untried()
    {
        _cache.Respond = _ => 503;
        var dispatcher = Start();
        try
        {
            dispatcher.Commit([.. Enumerable.Range(0, 50).Select(i => $"/down/{i}")]);
            await AdvanceUntilAsync(() => _cache.Requests.Count >= CircuitBreaker.MinimumThroughput, TimeSpan.FromMilliseconds(10));
            await Task.Delay(1_000);

            // At most the attempts already out when it opened (4 workers); each failed purge was tried twice.
            Assert.InRange(_cache.Requests.Count, CircuitBreaker.MinimumThroughput, CircuitBreaker.MinimumThroughput + 3);
            Assert.InRange(Failed(dispatcher), 1, (CircuitBreaker.MinimumThroughput + 3) / 2);
            Assert.Equal(50, dispatcher.GetPendingCounts()["c"]);
            Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == 4130);
        }
        finally
        {
            await dispatcher.StopAsync(TimeSpan.Zero);
        }
    }

    [Fact]
    public async Task A_cache_failing_every_purge_the_same_way_gets_one_warning_a_minute_that_counts_the_others()
    {
        _cache.Respond = _ => 503;
        var dispatcher = Start();
        try
        {
            dispatcher.Commit([.. Enumerable.Range(0, 50).Select(i => $"/same/{i}")]);
            await AdvanceUntilAsync(() => _cache.Requests.Count >= CircuitBreaker.MinimumThroughput, TimeSpan.FromMilliseconds(10));
            await Task.Delay(500);
            var failedBefore = Failed(dispatcher);
            var first = Assert.Single(_logs.GetSnapshot(), r => r.Id.Id == 4102);
            Assert.Equal(LogLevel.Warning, first.Level);
            Assert.Equal("0", first.GetStructuredStateValue("Skipped"));

            _time.Advance(TimeSpan.FromSeconds(61));
            await AdvanceUntilAsync(() => _logs.GetSnapshot().Count(r => r.Id.Id == 4102) >= 2, TimeSpan.FromMilliseconds(100));

            var second = _logs.GetSnapshot().Where(r => r.Id.Id == 4102).ElementAt(1);
            Assert.Equal((failedBefore - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), second.GetStructuredStateValue("Skipped"));
            Assert.Contains("HTTP 503", second.Message);
        }
        finally
        {
            await dispatcher.StopAsync(TimeSpan.Zero);
        }
    }

    private static int Failed(PurgeDispatcher dispatcher) => dispatcher.GetRecentResults().Count(r => r.Outcome == PurgeOutcome.Failed);

    private PurgeDispatcher Start(TimeSpan? redeliveryDelay = null)
    {
        var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("c", _cache.BaseUrl));
        options.RecentResultsCapacity = 1_000;
        if (redeliveryDelay is { } delay)
        {
            options.RedeliveryDelay = delay;
            options.MaxRedeliveryDelay = delay;
        }

        var dispatcher = new PurgeDispatcher("test", options, DispatcherFactory.HttpClientFactory, _loggerFactory, _time);
        dispatcher.Start();
        return dispatcher;
    }

    /// <summary>Moves the engine's clock on in small steps, giving the real requests time to come and go, until <paramref name="condition"/> holds.</summary>
    private async Task AdvanceUntilAsync(Func<bool> condition, TimeSpan step)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "condition not met in 10 s");
            _time.Advance(step);
            await Task.Delay(10);
        }
    }
}
