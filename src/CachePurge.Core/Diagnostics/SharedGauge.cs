using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace CachePurge.Core.Diagnostics;

/// <summary>
/// One observable gauge per meter and name, which every engine on that meter reports through while it runs. A host's
/// <see cref="IMeterFactory"/> gives all the engines of a process the same meter, and a meter cannot forget an
/// instrument: a gauge created per engine would go on reporting after its engine is disposed, and its callback would
/// keep the dead engine alive. Here an engine adds its measurements when it starts and removes them when it stops.
/// </summary>
internal sealed class SharedGauge
{
    private static readonly ConditionalWeakTable<Meter, Dictionary<string, SharedGauge>> GaugesByMeter = [];

    private readonly Lock _lock = new();
    private Func<IEnumerable<Measurement<long>>>[] _sources = [];

    private SharedGauge()
    {
    }

    /// <summary>The gauge <paramref name="name"/> of <paramref name="meter"/>, created the first time it is asked for.</summary>
    public static SharedGauge On(Meter meter, string name, string unit, string description)
    {
        var gauges = GaugesByMeter.GetValue(meter, _ => new Dictionary<string, SharedGauge>(StringComparer.Ordinal));
        lock (gauges)
        {
            if (!gauges.TryGetValue(name, out var gauge))
            {
                gauge = new SharedGauge();
                meter.CreateObservableGauge(name, gauge.Observe, unit, description);
                gauges.Add(name, gauge);
            }

            return gauge;
        }
    }

    public void Add(Func<IEnumerable<Measurement<long>>> source)
    {
        lock (_lock)
        {
            _sources = [.. _sources, source];
        }
    }

    /// <summary>Stops reporting what <paramref name="source"/> measures and lets go of it.</summary>
    public void Remove(Func<IEnumerable<Measurement<long>>> source)
    {
        lock (_lock)
        {
            _sources = [.. _sources.Where(s => s != source)];
        }
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        // A copy: an engine may come or go while a collection runs.
        var sources = Volatile.Read(ref _sources);
        return sources.SelectMany(source => source());
    }
}
