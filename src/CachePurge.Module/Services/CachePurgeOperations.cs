using CachePurge.Core;
using CachePurge.Module.ViewModels;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrchardCore.Environment.Shell;
using OrchardCore.Modules;

namespace CachePurge.Module.Services;

/// <summary>
/// What the operations page does: purge a list of pages, purge everything, test a cache, queue failed purges again,
/// and gather what the page shows. The admin controller checks permissions and tells the user how it went.
/// </summary>
public sealed class CachePurgeOperations
{
    /// <summary>The path a test purges: nothing should be cached there, so the test removes no real page.</summary>
    public const string ProbePath = "/cachepurge-probe";

    private readonly TenantPurgeDispatcher _dispatcher;
    private readonly IPurgeIntentStore _intents;
    private readonly PurgeIntentHandOver _handOver;
    private readonly PurgeNodeStatusStore _nodes;
    private readonly PurgeIntentOptions _intentOptions;
    private readonly IClock _clock;
    private readonly CachePurgeSettingsService _settingsService;
    private readonly ShellSettings _shellSettings;
    private readonly PageCacheLifetimes _lifetimes;
    private readonly IEnumerable<ICachePurgeEventHandler> _handlers;
    private readonly PurgeRequestMetrics _metrics;
    private readonly ILogger _logger;

    internal readonly IStringLocalizer S;

    public CachePurgeOperations(
        TenantPurgeDispatcher dispatcher,
        IPurgeIntentStore intents,
        PurgeIntentHandOver handOver,
        PurgeNodeStatusStore nodes,
        IOptions<PurgeIntentOptions> intentOptions,
        IClock clock,
        CachePurgeSettingsService settingsService,
        ShellSettings shellSettings,
        PageCacheLifetimes lifetimes,
        IEnumerable<ICachePurgeEventHandler> handlers,
        PurgeRequestMetrics metrics,
        ILogger<CachePurgeOperations> logger,
        IStringLocalizer<CachePurgeOperations> stringLocalizer)
    {
        _dispatcher = dispatcher;
        _intents = intents;
        _handOver = handOver;
        _nodes = nodes;
        _intentOptions = intentOptions.Value;
        _clock = clock;
        _settingsService = settingsService;
        _shellSettings = shellSettings;
        _lifetimes = lifetimes;
        _handlers = handlers;
        _metrics = metrics;
        _logger = logger;
        S = stringLocalizer;
    }

    public async Task<CachePurgeIndexViewModel> BuildIndexAsync()
    {
        var siteTag = await _settingsService.GetSiteTagAsync();
        var model = await _dispatcher.UseAsync(dispatcher =>
        {
            // The engine's caches, not the settings': they are the ones the buttons reach.
            var pending = dispatcher.GetPendingCounts();
            var health = dispatcher.GetEndpointHealth();
            var invalidationPaths = dispatcher.GetInvalidationPathCounts();
            var completions = dispatcher.GetCdnCompletions();
            return new CachePurgeIndexViewModel
            {
                IsActive = true,
                Caches = [.. dispatcher.Endpoints.Select((endpoint, i) => new CachePurgeCacheStatusViewModel
                {
                    Name = endpoint.Name,
                    Kind = endpoint.Kind,
                    BaseUrl = endpoint.BaseUrl,
                    Pending = pending.GetValueOrDefault(endpoint.Name),
                    EverythingMethod = endpoint.HowToPurgeEverything(siteTag is not null),
                    Health = health[i],
                    InvalidationPaths = invalidationPaths.FirstOrDefault(c => c.Endpoint == endpoint.Name),
                    PurgesChart = ActivityChart.PurgesPerMinute(endpoint.Name, i, health[i].LastHour),
                    LatencyChart = ActivityChart.Latency(endpoint.Name, i, health[i].LastHour),
                    Completions = completions.FirstOrDefault(c => c.Endpoint == endpoint.Name),
                })],
                Status = Status(dispatcher, pending),
                DeadLetters = dispatcher.GetDeadLetters(),
                Journal = dispatcher.GetJournalStatus(),
                RecentResults = dispatcher.GetRecentResults(),
                EvictionLatency = dispatcher.GetEvictionLatency(),
            };
        }, new CachePurgeIndexViewModel());

        model.IntentHolders = await _intents.ListHoldersAsync();
        model.Nodes = await ListNodesAsync();

        // Resolved outside the dispatcher's lock: it reads the site's routes and items.
        model.RecentLifetimes = await _lifetimes.ResolveAsync(model.RecentResults.Select(r => r.Target));
        return model;
    }

    /// <summary>Every node seen in the last day, this one first, then by name; those silent for a few lease periods marked gone.</summary>
    public async Task<IReadOnlyList<PurgeNodeViewModel>> ListNodesAsync()
    {
        var now = _clock.UtcNow;
        var goneBefore = now - (PurgeNodeReporter.LeasePeriodsUntilGone * PurgeNodeReporter.LeasePeriod(_intentOptions));
        // Two tenants of one process (a released one and its successor) may each have written one; the latest counts.
        return [.. (await _nodes.ListSeenAfterAsync(now - PurgeNodeReporter.ForgottenAfter))
            .GroupBy(status => status.Node, StringComparer.Ordinal)
            .Select(statuses => statuses.MaxBy(status => status.LastSeenUtc))
            .Select(status => new PurgeNodeViewModel(status, status.Node == PurgeNode.Id, status.LastSeenUtc < goneBefore))
            .OrderByDescending(node => node.IsThisNode)
            .ThenBy(node => node.IsGone)
            .ThenBy(node => node.Status.Node, StringComparer.Ordinal)];
    }

    /// <summary>The engine's caches, waiting purges, dead letters and journal, without the operations page's lists.</summary>
    public async Task<PurgeStatus> GetStatusAsync()
    {
        var siteTag = await _settingsService.GetSiteTagAsync();
        return await _dispatcher.UseAsync(dispatcher =>
        {
            var pending = dispatcher.GetPendingCounts();
            return new PurgeStatus(
                true,
                [.. dispatcher.Endpoints.Select(e => new PurgeStatusCache(e.Name, e.Kind.ToString(), pending.GetValueOrDefault(e.Name), e.HowToPurgeEverything(siteTag is not null).ToString()))],
                dispatcher.GetDeadLetters(),
                dispatcher.GetJournalStatus(),
                dispatcher.GetEvictionLatency());
        }, new PurgeStatus(false, [], DeadLetterSummary.None, CachePurge.Core.Journal.JournalStatus.Writable, new EvictionLatency(null, null, null, null)));
    }

    /// <summary>What is still waiting to be sent, per cache: polled by the operations page while a long purge or replay runs.</summary>
    public Task<CachePurgeStatusViewModel> GetWaitingAsync() =>
        _dispatcher.UseAsync(dispatcher => Status(dispatcher, dispatcher.GetPendingCounts()), new CachePurgeStatusViewModel([]));

    /// <summary>Queues every page of <paramref name="urls"/> (one per line) for every cache, or none when a line is refused.</summary>
    public async Task<UrlListPurge> PurgeUrlsAsync(string urls)
    {
        var lines = (urls ?? "").Split('\n').Select(l => l.Trim()).ToArray();
        PurgeBatch committed = null;
        long sequence = 0;
        var purge = await _dispatcher.UseAsync(dispatcher =>
        {
            var batch = dispatcher.CreateBatch();
            List<RefusedUrl> refused = [];
            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Length > 0 && batch.AddUrl(lines[i]) is { IsValid: false } result)
                {
                    refused.Add(new(i + 1, result.Error));
                }
            }

            // All or nothing, like a form: a typo should not send half of the list.
            if (refused.Count > 0)
            {
                return new UrlListPurge(true, 0, refused);
            }

            (committed, sequence) = (batch, batch.Commit());
            return new UrlListPurge(true, batch.Targets.Count, []);
        }, new UrlListPurge(false, 0, []));

        if (committed is not null)
        {
            await _handOver.HoldAsync(committed.Targets, null, sequence);
        }

        return purge;
    }

    /// <summary>Purges every page from every cache, or from the one named <paramref name="cache"/>, as each cache can.</summary>
    public async Task<EverythingPurge> PurgeEverythingAsync(string cache)
    {
        var name = string.IsNullOrEmpty(cache) ? null : cache;
        var (purge, sequence) = await _handOver.PurgeEverythingAsync(name);
        await _handOver.HoldEverythingAsync(name, sequence);
        return purge;
    }

    /// <summary>
    /// <see cref="PurgeEverythingAsync"/> asked for by an operator, which the audit trail records; the purges that
    /// site-wide changes make on their own are not.
    /// </summary>
    public async Task<EverythingPurge> PurgeEverythingRequestedAsync(string cache)
    {
        var purge = await PurgeEverythingAsync(cache);
        if (purge.Methods.Count > 0)
        {
            await _handlers.InvokeAsync((handler, methods) => handler.PurgedEverythingAsync(string.IsNullOrEmpty(cache) ? null : cache, methods), purge.Methods, _logger);
        }

        return purge;
    }

    /// <summary>
    /// Journals what a workflow or an API client asks for, all of it or, when a URL, a tag or the cache is refused,
    /// none of it. <paramref name="source"/> names the caller in logs and metrics (<c>api</c>, <c>workflow</c>).
    /// </summary>
    public async Task<PurgeRequestResult> PurgeAsync(PurgeRequest request, string source)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cache = string.IsNullOrWhiteSpace(request.Cache) ? null : request.Cache.Trim();
        var siteTag = request.Everything ? await _settingsService.GetSiteTagAsync() : null;
        (PurgeBatch Batch, long Sequence) committed = default;
        long everything = 0;
        var result = await _dispatcher.UseAsync(
            dispatcher => Purge(dispatcher, request, cache, siteTag, (batch, sequence) => committed = (batch, sequence), sequence => everything = sequence),
            PurgeRequestResult.Off);
        if (committed.Batch is not null)
        {
            await _handOver.HoldAsync(committed.Batch.Targets, cache, committed.Sequence);
        }

        await _handOver.HoldEverythingAsync(cache, everything);

        var caches = cache ?? "every cache";
        if (!result.IsActive)
        {
            _metrics.Requested(_shellSettings.Name, source, "off");
        }
        else if (result.Errors.Count > 0)
        {
            _metrics.Requested(_shellSettings.Name, source, "refused");
            CachePurgeModuleLog.PurgeRequestRefused(_logger, source, _shellSettings.Name, string.Join(" ", result.Errors.Select(e => $"{e.Field}: {e.Message}")));
        }
        else
        {
            _metrics.Requested(_shellSettings.Name, source, "journaled");
            if (request.Everything)
            {
                CachePurgeModuleLog.EverythingRequested(_logger, source, _shellSettings.Name, caches);
                await _handlers.InvokeAsync((handler, methods) => handler.PurgedEverythingAsync(cache, methods), result.Everything, _logger);
            }
            else
            {
                CachePurgeModuleLog.PurgeRequested(_logger, source, _shellSettings.Name, result.Targets.Count, caches);
            }
        }

        return result;
    }

    /// <summary>The cache's answer to a purge of <see cref="ProbePath"/>; null when no such cache is configured or purging is off.</summary>
    public async Task<PurgeResult> TestAsync(string cache, CancellationToken cancellationToken)
    {
        // The probe bypasses the queue and the journal: a cache that is down is reported now, not retried for a day.
        // It is awaited outside the dispatcher's lock so that commits of other requests do not wait on the network.
        var probe = await _dispatcher.UseAsync(
            dispatcher => dispatcher.Endpoints.Any(e => e.Name == cache) ? dispatcher.ProbeAsync(cache, ProbePath, cancellationToken) : null,
            null);
        return probe is null ? null : await probe;
    }

    /// <summary>A CDN's read-only check of its credentials; null when no such cache is configured, purging is off, or the cache is tested with <see cref="TestAsync"/>.</summary>
    public async Task<ConnectionCheck> CheckConnectionAsync(string cache, CancellationToken cancellationToken)
    {
        var check = await _dispatcher.UseAsync(
            dispatcher => dispatcher.Endpoints.Any(e => e.Name == cache) ? dispatcher.CheckConnectionAsync(cache, cancellationToken) : null,
            null);
        return check is null ? null : await check;
    }

    /// <summary>Queues every dead-lettered purge again and returns how many.</summary>
    public async Task<int> ReplayDeadLettersAsync()
    {
        // -1 while purging is off: nothing was asked of an engine, so there is nothing to record.
        var count = await _dispatcher.UseAsync(dispatcher => dispatcher.ReplayDeadLetters(), -1);
        if (count >= 0)
        {
            await _handlers.InvokeAsync((handler, replayed) => handler.DeadLettersReplayedAsync(replayed), count, _logger);
        }

        return Math.Max(count, 0);
    }

    /// <param name="committed">Told the batch and its commit number once committed.</param>
    /// <param name="everything">Told the commit number of a purge of everything once committed.</param>
    private PurgeRequestResult Purge(PurgeDispatcher dispatcher, PurgeRequest request, string cache, string siteTag, Action<PurgeBatch, long> committed, Action<long> everything)
    {
        if (cache is not null && !dispatcher.Endpoints.Any(e => e.Name == cache))
        {
            return PurgeRequestResult.Refused([new("cache", S["No cache is named '{0}'; the caches are {1}.", cache, string.Join(", ", dispatcher.Endpoints.Select(e => e.Name))])]);
        }

        if (request.Everything)
        {
            var (methods, sequence) = PurgeIntentHandOver.PurgeEverything(dispatcher, siteTag, cache);
            everything(sequence);
            return new PurgeRequestResult(true, [], [], methods);
        }

        // A client's JSON may leave a list out or send null.
        var urls = request.Urls ?? [];
        var tags = request.Tags ?? [];
        var batch = dispatcher.CreateBatch(cache);
        List<PurgeRequestError> errors = [];
        for (var i = 0; i < urls.Count; i++)
        {
            if (batch.AddUrl(urls[i]?.Trim()) is { IsValid: false } refused)
            {
                errors.Add(new($"urls[{i}]", refused.Error));
            }
        }

        // A tag of another tenant would purge that tenant's pages from a cache they share.
        var contentItemTags = ContentTags.ForContentItem(_shellSettings.Name, "");
        var siteTagOfTenant = ContentTags.ForSite(_shellSettings.Name);
        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i]?.Trim();
            if (!ContentTags.IsToken(tag) || !(tag == siteTagOfTenant || (tag.StartsWith(contentItemTags, StringComparison.Ordinal) && tag.Length > contentItemTags.Length)))
            {
                errors.Add(new($"tags[{i}]", S["'{0}' is not a tag of this site's pages; they carry '{1}' and '{2}<content item id>'.", tag ?? "", siteTagOfTenant, contentItemTags]));
            }
            else
            {
                batch.AddTag(tag);
            }
        }

        if (errors.Count > 0)
        {
            return PurgeRequestResult.Refused(errors);
        }

        if (batch.Targets.Count == 0)
        {
            return PurgeRequestResult.Refused([new("urls", S["Give the URLs or tags to purge, or ask to purge everything."])]);
        }

        committed(batch, batch.Commit());
        return new PurgeRequestResult(true, [], [.. batch.Targets.Select(t => t.ToString())], new Dictionary<string, PurgeEverythingMethod>());
    }

    private static CachePurgeStatusViewModel Status(PurgeDispatcher dispatcher, IReadOnlyDictionary<string, int> pending) =>
        new([.. dispatcher.Endpoints.Select(e => KeyValuePair.Create(e.Name, pending.GetValueOrDefault(e.Name)))]);

}
