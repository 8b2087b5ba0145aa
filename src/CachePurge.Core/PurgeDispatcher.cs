using System.Diagnostics.Metrics;
using CachePurge.Core.Diagnostics;
using CachePurge.Core.Dispatching;
using CachePurge.Core.Journal;
using CachePurge.Core.Protocols;
using CachePurge.Core.Protocols.CloudFront;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CachePurge.Core;

/// <summary>
/// One site's purge engine. Commits are written to the journal and fanned out to one queue per
/// cache; background workers deliver them. Create one per site (tenant), <see cref="Start"/> it,
/// and <see cref="DisposeAsync"/> it on shutdown: what could not be sent stays in the journal and
/// is replayed by the next dispatcher on the same journal.
/// </summary>
public sealed class PurgeDispatcher : IPurgeQueue, IAsyncDisposable
{
    private readonly CachePurgeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CachePurgeMetrics _metrics;
    private readonly IPurgeJournal _journal;
    private readonly SqlitePurgeJournal _sqliteJournal;
    private readonly EndpointQueue[] _queues;
    private readonly EndpointSender[] _senders;
    private readonly string[] _endpointNames;
    private readonly RecentPurgeResults _results;
    private readonly LatencyWindows _latency = new();
    private int _state; // 0 created, 1 started, 2 stopped

    /// <param name="site">A name for the site (tenant) in logs and metrics.</param>
    /// <param name="options">Validated here: invalid settings throw an <see cref="ArgumentException"/> naming the fields.</param>
    /// <param name="httpClientFactory">Should have the client registered by <see cref="CachePurgeHttp.AddCachePurgeHttpClient"/>.</param>
    public PurgeDispatcher(
        string site,
        CachePurgeOptions options,
        IHttpClientFactory httpClientFactory,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null)
        : this(site, options, httpClientFactory, loggerFactory, timeProvider, meterFactory, journal => journal)
    {
    }

    /// <summary>As the public constructor, with the engine's journal seen through <paramref name="journalView"/>: for tests of faults no disk shows on demand.</summary>
    internal PurgeDispatcher(
        string site,
        CachePurgeOptions options,
        IHttpClientFactory httpClientFactory,
        ILoggerFactory? loggerFactory,
        TimeProvider? timeProvider,
        IMeterFactory? meterFactory,
        Func<IPurgeJournal, IPurgeJournal> journalView)
    {
        CachePurgeOptionsValidator.ThrowIfInvalid(options);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("CachePurge.Core.PurgeDispatcher");
        _metrics = new CachePurgeMetrics(site, meterFactory, ObserveQueueLengths, ObserveUnsaved);
        var canPurgeEverything = options.Endpoints.Where(e => CacheProtocol.For(e).Supports(PurgeTargetKind.Everything)).Select(e => e.Name).ToHashSet();
        var journal = new SqlitePurgeJournal(options.JournalPath, options.MaxPendingInMemory, canPurgeEverything, _logger, _metrics, _time);
        journal.PurgesReplacedByEverything += PurgeEverythingInstead;
        journal.Reopened += ReplayJournal;
        _journal = journalView(journal);
        _sqliteJournal = journal;
        _results = new RecentPurgeResults(options.RecentResultsCapacity);

        // The admin pages go on showing what the engine before this one sent, whether it was replaced because the
        // settings changed or the site restarted; oldest first, so that new results go on top.
        foreach (var result in _journal.LoadRecentResults(options.RecentResultsCapacity).Reverse())
        {
            _results.Add(result);
        }

        Normalizer = new PurgeUrlNormalizer(options.SiteHosts, options.PathBase);

        var hosts = options.SiteHosts.Select(h => SiteHost.TryParse(h, out var host) ? host.Value : default).ToArray();
        _senders = [.. options.Endpoints.Select(endpoint => new EndpointSender(endpoint, new SiteAddresses(hosts, options.PathBase), httpClientFactory, new EndpointResilience(endpoint, options, _time, _logger), _results, _metrics, _time, _logger, targets => Enqueue(targets, endpoint.Name), PathCounter(endpoint)))];
        var earlier = _results.Snapshot().Reverse().ToList();
        foreach (var sender in _senders)
        {
            sender.Activity.Seed(earlier);
        }

        _queues = [.. options.Endpoints.Select((endpoint, i) => new EndpointQueue(
            endpoint,
            options,
            _senders[i],
            _journal,
            _metrics,
            _latency,
            _time,
            _logger,
            () => _journal.LastSequence,
            ReportFailure))];
        _endpointNames = [.. _queues.Select(q => q.Name)];
    }

    /// <summary>
    /// Raised on a worker when a cache does not take a purge: each time one is given up (dead-lettered), and otherwise
    /// at most as often as the failure is logged. Handlers must return quickly and not throw; they hold up that cache's
    /// purges while they run.
    /// </summary>
    public event Action<PurgeFailure>? Failed;

    /// <summary>The caches this dispatcher sends to, as it was built with them.</summary>
    public IReadOnlyList<CacheEndpoint> Endpoints => _options.Endpoints;

    /// <summary>How long <see cref="DisposeAsync"/> lets pending purges be sent before it stops.</summary>
    public TimeSpan DrainTimeout => _options.DrainTimeout;

    /// <summary>The site-URL rules batches use.</summary>
    public PurgeUrlNormalizer Normalizer { get; }

    /// <summary>Starts a unit of work for every cache, or for the one named <paramref name="endpoint"/>; nothing is sent unless it is committed.</summary>
    public PurgeBatch CreateBatch(string? endpoint = null)
    {
        if (endpoint is not null && !_endpointNames.Contains(endpoint))
        {
            throw new ArgumentException($"No cache is named '{endpoint}'.", nameof(endpoint));
        }

        return new(this, Normalizer, endpoint);
    }

    /// <summary>
    /// Purges every page of the site from every cache, or from the one named <paramref name="endpoint"/>, each the way
    /// <see cref="CacheEndpoint.HowToPurgeEverything"/> chooses. It is committed like any batch: a cache that is down
    /// gets it when it is back.
    /// </summary>
    /// <param name="siteTag">The tag that every page of the site carries, or null when pages carry no tags.</param>
    /// <returns>How each cache is purged, by name; a cache listed as <see cref="PurgeEverythingMethod.NotPossible"/> is sent nothing.</returns>
    public IReadOnlyDictionary<string, PurgeEverythingMethod> PurgeEverything(string? siteTag, string? endpoint = null)
    {
        if (endpoint is not null && !_endpointNames.Contains(endpoint))
        {
            throw new ArgumentException($"No cache is named '{endpoint}'.", nameof(endpoint));
        }

        Dictionary<string, PurgeEverythingMethod> methods = [];
        foreach (var cache in _options.Endpoints.Where(e => endpoint is null || e.Name == endpoint))
        {
            var method = cache.HowToPurgeEverything(pagesCarrySiteTag: !string.IsNullOrEmpty(siteTag));
            methods[cache.Name] = method;
            if (method == PurgeEverythingMethod.NotPossible)
            {
                continue;
            }

            // One batch per cache, because each cache may need a different target.
            var batch = CreateBatch(cache.Name);
            if (method == PurgeEverythingMethod.SiteTag)
            {
                batch.AddTag(siteTag!);
            }
            else
            {
                batch.AddEverything();
            }

            batch.Commit();
        }

        return methods;
    }

    /// <summary>
    /// Sends one purge of <paramref name="path"/> to the cache named <paramref name="endpoint"/> now, outside the
    /// queue and the journal, and returns its answer: the admin's "test this cache".
    /// </summary>
    public async Task<PurgeResult> ProbeAsync(string endpoint, string path, CancellationToken cancellationToken = default)
    {
        var queue = Array.Find(_queues, q => q.Name == endpoint) ?? throw new ArgumentException($"No cache is named '{endpoint}'.", nameof(endpoint));
        var normalized = Normalizer.Normalize(path);
        if (normalized.Path is null)
        {
            throw new ArgumentException(normalized.Error, nameof(path));
        }

        return await queue.ProbeAsync(normalized.Path, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks, without purging anything, that the CDN named <paramref name="endpoint"/> accepts its credentials and
    /// that they reach its zone or service: the admin's "test this cache" for a CDN. Null for a cache that has no
    /// such check (Varnish, Squid, nginx, generic), which <see cref="ProbeAsync"/> tests instead.
    /// </summary>
    public async Task<ConnectionCheck?> CheckConnectionAsync(string endpoint, CancellationToken cancellationToken = default)
    {
        var queue = Array.Find(_queues, q => q.Name == endpoint) ?? throw new ArgumentException($"No cache is named '{endpoint}'.", nameof(endpoint));
        return await queue.CheckConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replays what the journal holds and starts the workers.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The dispatcher was already started.");
        }

        var journaled = _journal.CountPending();
        foreach (var queue in _queues)
        {
            queue.Start(journaled.GetValueOrDefault(queue.Name));
        }

        // A cache removed from the settings will never acknowledge its entries.
        foreach (var (endpoint, count) in journaled.Where(e => !_endpointNames.Contains(e.Key)))
        {
            CachePurgeLog.DroppedForRemovedEndpoint(_logger, count, endpoint);
            _journal.Complete(endpoint, PurgeTarget.Everything, long.MaxValue);
        }

        var replayed = journaled.Where(e => _endpointNames.Contains(e.Key)).Sum(e => e.Value);
        if (replayed > 0)
        {
            CachePurgeLog.Replayed(_logger, replayed);
        }
    }

    /// <inheritdoc />
    public long Enqueue(IReadOnlyCollection<PurgeTarget> targets, string? endpoint = null)
    {
        if (targets.Count == 0)
        {
            return 0;
        }

        // Each cache gets only what it can send: a tag for Squid would wait in the journal forever.
        List<(string Endpoint, PurgeTarget Target)> entries = [];
        List<EndpointQueue> queues = [];
        foreach (var queue in _queues.Where(q => endpoint is null || q.Name == endpoint))
        {
            foreach (var target in targets)
            {
                // A target the backend takes the kind of but not as it is (an Akamai tag too long) is covered by another, or dropped; either is logged.
                if (queue.Cover(target) is not { } covered)
                {
                    if (queue.Supports(target.Kind))
                    {
                        CachePurgeLog.NotCovered(_logger, queue.Name, target.ToString());
                    }

                    continue;
                }

                if (covered != target)
                {
                    CachePurgeLog.Covered(_logger, queue.Name, target.ToString(), covered.ToString());
                }

                entries.Add((queue.Name, covered));
                queues.Add(queue);
            }
        }

        if (entries.Count == 0)
        {
            return 0;
        }

        var now = _time.GetUtcNow();
        var sequence = _journal.Append(entries, now);

        // After stopping, the journal alone keeps them for the next dispatcher.
        if (Volatile.Read(ref _state) == 2)
        {
            return sequence;
        }

        var timestamp = _time.GetTimestamp();
        for (var i = 0; i < entries.Count; i++)
        {
            queues[i].Enqueue(entries[i].Target, sequence, now, timestamp);
        }

        return sequence;
    }

    /// <summary>The highest commit number given so far; what <see cref="PurgeEverything"/> committed is at or below it.</summary>
    public long LastSequence => _journal.LastSequence;

    /// <summary>Whether the journal's timer has stopped for want of work: an idle engine wakes nothing.</summary>
    internal bool JournalIsIdle => !_sqliteJournal.IsTicking;

    /// <summary>
    /// The highest commit number at or below which every commit is settled: each of its purges was acknowledged by its
    /// cache, moved to the dead letters, or committed again since under a higher number. A host that keeps its own record
    /// of commits (the Orchard module keeps one in the site's database, for a web farm) may forget those at or below it.
    /// Reads the journal: call it every few seconds, not per purge.
    /// </summary>
    public long GetSettledSequence()
    {
        // Read before the oldest pending entry: a commit made in between is then above both, so never counted as settled.
        var last = _journal.LastSequence;
        return _journal.OldestPendingSequence() is { } oldest ? Math.Min(last, oldest - 1) : last;
    }

    /// <summary>Purges that are waiting, per cache.</summary>
    public IReadOnlyDictionary<string, int> GetPendingCounts() => _queues.ToDictionary(q => q.Name, q => q.PendingCount);

    /// <summary>The most recent requests, newest first; those of the last dispatcher on the same journal included.</summary>
    public IReadOnlyList<PurgeResult> GetRecentResults() => _results.Snapshot();

    /// <summary>
    /// How each cache is doing, in the order of <see cref="Endpoints"/>: its last success and last error, its circuit,
    /// the journal, and its last hour minute by minute. Cheap enough for every view of an admin page.
    /// </summary>
    public IReadOnlyList<EndpointHealth> GetEndpointHealth()
    {
        var journal = _journal.Status;
        return [.. _senders.Select((s, i) => s.Health(journal) with { RateBudget = _queues[i].RateBudget(), CallsInFlight = s.CallsInFlight })];
    }

    /// <summary>
    /// Continues the health of each cache that <paramref name="previous"/>, a stopped engine that this one replaces,
    /// had under the same name: its last hour, last success and last error, so that a change of the settings does not
    /// blank the admin page. Circuits start closed, as the new engine's requests have not failed yet.
    /// </summary>
    public void ContinueHealthOf(PurgeDispatcher previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        foreach (var sender in _senders)
        {
            if (Array.Find(previous._senders, s => s.Activity.Endpoint == sender.Activity.Endpoint) is { } theirs)
            {
                sender.Activity.TakeOver(theirs.Activity);
            }
        }
    }

    /// <summary>
    /// The invalidation paths each CloudFront cache sent this month against its budget, in the order of
    /// <see cref="Endpoints"/>; empty when there is none. The counts are kept beside the journal and survive a restart.
    /// </summary>
    public IReadOnlyList<InvalidationPathCount> GetInvalidationPathCounts() => [.. _senders.Select(s => s.Protocol).OfType<CloudFrontProtocol>().Select(p => p.PathCount())];

    /// <summary>
    /// For each CDN that completes its purges later (Azure Front Door, CloudFront, Akamai), in the order of
    /// <see cref="Endpoints"/>: the purges it accepted and has not reported done, and those it finished lately.
    /// Kept in memory: after a restart the pending ones are not asked about again, though the CDN carries them out.
    /// </summary>
    public IReadOnlyList<CdnCompletions> GetCdnCompletions() => [.. _senders.Select(s => s.Completions?.Snapshot()).OfType<CdnCompletions>()];

    /// <summary>Whether a worker asks the CDN named <paramref name="endpoint"/> about purges it completes later: only while some are pending.</summary>
    internal bool IsAskingForCompletions(string endpoint) => Array.Find(_senders, s => s.Activity.Endpoint == endpoint)?.Completions?.IsScheduled == true;

    /// <summary>Publish-to-eviction latency percentiles over the recent purges.</summary>
    public EvictionLatency GetEvictionLatency() => _latency.Snapshot();

    public DeadLetterSummary GetDeadLetters() => _journal.GetDeadLetters();

    /// <summary>
    /// Whether committed purges reach the journal on disk now. While they cannot (a full or read-only disk, a journal
    /// that cannot be opened), they are kept in memory, still sent, and written as soon as the disk takes writes.
    /// </summary>
    public JournalStatus GetJournalStatus() => _journal.Status;

    /// <summary>Puts every dead-lettered purge back in the queues.</summary>
    public int ReplayDeadLetters()
    {
        var now = _time.GetUtcNow();
        var entries = _journal.ReplayDeadLetters(now);
        var timestamp = _time.GetTimestamp();
        foreach (var entry in entries)
        {
            Array.Find(_queues, q => q.Name == entry.Endpoint)?.Enqueue(entry.Target, entry.Sequence, now, timestamp);
        }

        CachePurgeLog.DeadLettersReplayed(_logger, entries.Count);
        return entries.Count;
    }

    /// <summary>Completes when every cache has acknowledged everything committed so far, or on cancellation.</summary>
    public Task WhenIdleAsync(CancellationToken cancellationToken = default) =>
        Task.WhenAll(_queues.Select(q => q.WhenIdleAsync(cancellationToken)));

    /// <summary>Stops accepting work, drains for the configured time, and leaves the rest in the journal.</summary>
    public ValueTask DisposeAsync() => StopAsync(_options.DrainTimeout);

    /// <summary>
    /// Stops accepting work, drains for <paramref name="drainTimeout"/>, and leaves the rest in the journal. A zero
    /// drain stops at once: right for an engine that a new one on the same journal replaces, which sends the rest.
    /// Only the first call stops; later calls return at once.
    /// </summary>
    public async ValueTask StopAsync(TimeSpan drainTimeout)
    {
        var previous = Interlocked.Exchange(ref _state, 2);
        if (previous == 2)
        {
            return;
        }

        if (previous == 1 && drainTimeout > TimeSpan.Zero)
        {
            using var drain = new CancellationTokenSource(drainTimeout, _time);
            try
            {
                await WhenIdleAsync(drain.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                CachePurgeLog.StoppedWithPending(_logger, _queues.Sum(q => q.PendingCount), drainTimeout.TotalSeconds);
            }
        }

        foreach (var queue in _queues)
        {
            await queue.DisposeAsync().ConfigureAwait(false);
        }

        // Purges still in progress at a CDN are safe there; only the questions about them stop.
        foreach (var sender in _senders)
        {
            if (sender.Completions is { } completions)
            {
                await completions.DisposeAsync().ConfigureAwait(false);
            }
        }

        // The workers are stopped: no result comes after these.
        _journal.SaveRecentResults(_results.Snapshot());
        _journal.Dispose();
        _metrics.Dispose();
    }

    private void ReportFailure(PurgeFailure failure) => Failed?.Invoke(failure);

    // CloudFront charges by the month's paths: their count lives beside the journal, so that a restart does not forget it.
    private MonthlyPathCounter? PathCounter(CacheEndpoint endpoint) => endpoint.Kind == CacheKind.CloudFront
        ? new MonthlyPathCounter(endpoint.Name, MonthlyPathCounter.FileFor(_options.JournalPath, endpoint.DistributionId), _time, _logger, _metrics)
        : null;

    private IEnumerable<Measurement<long>> ObserveUnsaved()
    {
        yield return new Measurement<long>(_journal.Status.UnsavedPurges, _metrics.Site);
    }

    /// <summary>The journal replaced purges it kept in memory for <paramref name="endpoint"/> by one purge of everything: the queue sends it.</summary>
    private void PurgeEverythingInstead(string endpoint, long sequence, DateTimeOffset firstCommitted)
    {
        // The journal's timer may tell before this constructor has made the queues: they then find it in the journal.
        if (Volatile.Read(ref _state) != 2 && _queues is not null)
        {
            Array.Find(_queues, q => q.Name == endpoint)?.Enqueue(PurgeTarget.Everything, sequence, firstCommitted, _time.GetTimestamp());
        }
    }

    /// <summary>The journal holds purges the queues may not have seen (it opened late, or was made again): they read it from the start.</summary>
    private void ReplayJournal()
    {
        if (Volatile.Read(ref _state) == 1)
        {
            foreach (var queue in _queues)
            {
                queue.ReplayJournal();
            }
        }
    }

    private IEnumerable<Measurement<long>> ObserveQueueLengths()
    {
        foreach (var queue in _queues)
        {
            yield return new Measurement<long>(queue.PendingCount, _metrics.Site, new("cachepurge.endpoint", queue.Name));
        }
    }
}
