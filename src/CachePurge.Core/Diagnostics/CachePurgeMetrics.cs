using System.Diagnostics.Metrics;

namespace CachePurge.Core.Diagnostics;

/// <summary>
/// The <c>CachePurge</c> meter. Instruments carry the site and endpoint as tags so that one
/// process with several tenants can be told apart. The gauges are shared with the other engines on the same meter
/// (<see cref="SharedGauge"/>): disposing stops this engine's measurements and lets go of the engine.
/// </summary>
internal sealed class CachePurgeMetrics : IDisposable
{
    public const string MeterName = "CachePurge";

    private static readonly string[] OutcomeNames = Enum.GetNames<PurgeOutcome>();

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly KeyValuePair<string, object?> _site;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly Histogram<double> _deliveryLatency;
    private readonly Counter<long> _coalesced;
    private readonly Counter<long> _escalations;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _journalErrors;
    private readonly Counter<long> _evictionChecks;
    private readonly Histogram<double> _confirmationLatency;
    private readonly Counter<long> _journalDropped;
    private readonly Histogram<double> _rateLimitWait;
    private readonly UpDownCounter<long> _invalidationPaths;
    private readonly Histogram<double> _completionDuration;
    private readonly Counter<long> _completions;
    private readonly List<(SharedGauge Gauge, Func<IEnumerable<Measurement<long>>> Source)> _observed = [];

    /// <param name="queueLength">Purges waiting for delivery, by endpoint.</param>
    /// <param name="unsaved">Purges the journal keeps in memory only because it cannot write them now.</param>
    public CachePurgeMetrics(string site, IMeterFactory? meterFactory, Func<IEnumerable<Measurement<long>>> queueLength, Func<IEnumerable<Measurement<long>>> unsaved)
    {
        _site = new("cachepurge.site", site);
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>("cachepurge.requests", "{request}", "Purge requests sent, by endpoint and outcome.");
        _requestDuration = _meter.CreateHistogram<double>("cachepurge.request.duration", "s", "Time from sending a purge request to its answer, retries included.");
        _deliveryLatency = _meter.CreateHistogram<double>("cachepurge.delivery.latency", "s", "Time from a batch's commit to the cache's acknowledgement.");
        _coalesced = _meter.CreateCounter<long>("cachepurge.coalesced", "{purge}", "Purges merged into one already pending.");
        _escalations = _meter.CreateCounter<long>("cachepurge.escalations", "{escalation}", "Times pending paths were replaced by one purge of everything.");
        _deadLettered = _meter.CreateCounter<long>("cachepurge.dead_lettered", "{purge}", "Purges given up after failing for too long.");
        _journalErrors = _meter.CreateCounter<long>("cachepurge.journal.errors", "{error}", "Errors reading or writing the purge journal.");
        _evictionChecks = _meter.CreateCounter<long>("cachepurge.eviction.checks", "{check}", "Fetches after a purge, by whether the page came back fresh.");
        _confirmationLatency = _meter.CreateHistogram<double>("cachepurge.confirmation.latency", "s", "Time from a batch's commit to the confirmed eviction of its page.");
        _rateLimitWait = _meter.CreateHistogram<double>("cachepurge.rate_limit.wait", "s", "Time a purge call waited for the rate limits its backend declares, by endpoint; only calls that waited.");
        _completionDuration = _meter.CreateHistogram<double>("cachepurge.completion.duration", "s", "Time a CDN that completes later (Azure Front Door, CloudFront, Akamai) took from accepting a purge to reporting it done or failed, by endpoint.");
        _completions = _meter.CreateCounter<long>("cachepurge.completions", "{purge}", "Purges a CDN that completes later reported done or failed, by endpoint and outcome.");
        _journalDropped = _meter.CreateCounter<long>("cachepurge.journal.dropped", "{purge}", "Purges given up because the journal could not be written for so long that memory would have grown without bound, for caches that cannot purge everything instead.");
        _invalidationPaths = _meter.CreateUpDownCounter<long>("cachepurge.invalidation.paths", "{path}", "Invalidation paths sent to a CDN that charges by the path (CloudFront), a wildcard counting one, by endpoint; less those it refused.");
        Observe("cachepurge.queue.length", "{purge}", "Purges waiting for delivery, by endpoint.", queueLength);
        Observe("cachepurge.journal.unsaved", "{purge}", "Committed purges kept in memory only, because the journal cannot be written now.", unsaved);
    }

    public KeyValuePair<string, object?> Site => _site;

    public void RequestCompleted(string endpoint, PurgeOutcome outcome, TimeSpan duration)
    {
        // Called for every purge: nothing is built for an instrument no one listens to.
        var endpointTag = new KeyValuePair<string, object?>("cachepurge.endpoint", endpoint);
        if (_requests.Enabled)
        {
            _requests.Add(1, _site, endpointTag, new("cachepurge.outcome", OutcomeNames[(int)outcome]));
        }

        if (_requestDuration.Enabled)
        {
            _requestDuration.Record(duration.TotalSeconds, _site, endpointTag);
        }
    }

    public void Delivered(string endpoint, TimeSpan latency)
    {
        if (_deliveryLatency.Enabled)
        {
            _deliveryLatency.Record(latency.TotalSeconds, _site, new("cachepurge.endpoint", endpoint));
        }
    }

    public void EvictionChecked(string endpoint, bool confirmed) =>
        _evictionChecks.Add(1, _site, new("cachepurge.endpoint", endpoint), new("cachepurge.confirmed", confirmed));

    public void Confirmed(string endpoint, TimeSpan latency) =>
        _confirmationLatency.Record(latency.TotalSeconds, _site, new("cachepurge.endpoint", endpoint));

    public void Coalesced(string endpoint) => _coalesced.Add(1, _site, new("cachepurge.endpoint", endpoint));

    public void Escalated(string endpoint) => _escalations.Add(1, _site, new("cachepurge.endpoint", endpoint));

    /// <summary>Purges kept in memory while the journal cannot be written were replaced by one purge of everything.</summary>
    public void EscalatedInMemory(string endpoint) =>
        _escalations.Add(1, _site, new("cachepurge.endpoint", endpoint), new("cachepurge.reason", "journal_not_writable"));

    public void DroppedUnsaved(string endpoint, int count) => _journalDropped.Add(count, _site, new("cachepurge.endpoint", endpoint));

    public void RateLimitWaited(string endpoint, TimeSpan wait) => _rateLimitWait.Record(wait.TotalSeconds, _site, new("cachepurge.endpoint", endpoint));

    public void InvalidationPaths(string endpoint, int paths) => _invalidationPaths.Add(paths, _site, new("cachepurge.endpoint", endpoint));

    public void CompletionReported(string endpoint, TimeSpan duration, bool failed)
    {
        var endpointTag = new KeyValuePair<string, object?>("cachepurge.endpoint", endpoint);
        var outcome = new KeyValuePair<string, object?>("cachepurge.outcome", failed ? "failed" : "completed");
        _completionDuration.Record(duration.TotalSeconds, _site, endpointTag, outcome);
        _completions.Add(1, _site, endpointTag, outcome);
    }

    public void DeadLettered(string endpoint) => _deadLettered.Add(1, _site, new("cachepurge.endpoint", endpoint));

    public void JournalError() => _journalErrors.Add(1, _site);

    public void Dispose()
    {
        foreach (var (gauge, source) in _observed)
        {
            gauge.Remove(source);
        }

        _observed.Clear();
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private void Observe(string name, string unit, string description, Func<IEnumerable<Measurement<long>>> source)
    {
        var gauge = SharedGauge.On(_meter, name, unit, description);
        gauge.Add(source);
        _observed.Add((gauge, source));
    }
}
