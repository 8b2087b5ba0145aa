using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using CachePurge.Core.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CachePurge.Core.Tests.Diagnostics;

/// <summary>
/// A host's meter factory gives every engine of the process the same meter, and a meter never forgets an instrument:
/// engines replaced by a settings change must neither go on reporting nor be kept alive by what they reported.
/// </summary>
public sealed class EngineGaugeTests : IDisposable
{
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private IMeterFactory Meters => _services.GetRequiredService<IMeterFactory>();

    public void Dispose() => _services.Dispose();

    [Fact]
    public async Task Only_running_engines_report_their_queue_length()
    {
        for (var i = 0; i < 3; i++)
        {
            await using var replaced = Start($"replaced-{i}");
        }

        await using var running = Start("running");

        Assert.Equal(["running"], ObserveSites("cachepurge.queue.length"));
    }

    [Fact]
    public void A_disposed_engine_is_not_kept_alive_by_its_gauges()
    {
        var engine = StartAndDispose();

        for (var i = 0; i < 5 && engine.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(engine.IsAlive, "the disposed engine is still reachable");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private WeakReference StartAndDispose()
    {
        var engine = Start("replaced");
        engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return new WeakReference(engine);
    }

    private PurgeDispatcher Start(string site)
    {
        // A cache nobody listens on: these engines are never sent anything.
        var options = DispatcherFactory.Options(DispatcherFactory.Endpoint("c", new Uri($"http://127.0.0.1:{FreePort.Next()}")));
        var engine = new PurgeDispatcher(site, options, DispatcherFactory.HttpClientFactory, meterFactory: Meters);
        engine.Start();
        return engine;
    }

    /// <summary>The sites that report <paramref name="instrumentName"/> on this test's meter factory, once per measurement.</summary>
    private List<string> ObserveSites(string instrumentName)
    {
        List<string> sites = [];
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Scope == Meters && instrument.Name == instrumentName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "cachepurge.site")
                {
                    sites.Add((string)tag.Value!);
                }
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return sites;
    }
}
