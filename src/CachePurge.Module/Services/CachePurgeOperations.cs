using CachePurge.Core;
using CachePurge.Module.ViewModels;
using OrchardCore.Environment.Shell;

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
    private readonly CachePurgeSettingsService _settingsService;
    private readonly ShellSettings _shellSettings;
    private readonly PageCacheLifetimes _lifetimes;

    public CachePurgeOperations(TenantPurgeDispatcher dispatcher, CachePurgeSettingsService settingsService, ShellSettings shellSettings, PageCacheLifetimes lifetimes)
    {
        _dispatcher = dispatcher;
        _settingsService = settingsService;
        _shellSettings = shellSettings;
        _lifetimes = lifetimes;
    }

    public async Task<CachePurgeIndexViewModel> BuildIndexAsync()
    {
        var siteTag = await GetSiteTagAsync();
        var model = await _dispatcher.UseAsync(dispatcher =>
        {
            // The engine's caches, not the settings': they are the ones the buttons reach.
            var pending = dispatcher.GetPendingCounts();
            var health = dispatcher.GetEndpointHealth();
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
                    PurgesChart = ActivityChart.PurgesPerMinute(endpoint.Name, i, health[i].LastHour),
                    LatencyChart = ActivityChart.Latency(endpoint.Name, i, health[i].LastHour),
                })],
                Status = Status(dispatcher, pending),
                DeadLetters = dispatcher.GetDeadLetters(),
                Journal = dispatcher.GetJournalStatus(),
                RecentResults = dispatcher.GetRecentResults(),
                EvictionLatency = dispatcher.GetEvictionLatency(),
            };
        }, new CachePurgeIndexViewModel());

        // Resolved outside the dispatcher's lock: it reads the site's routes and items.
        model.RecentLifetimes = await _lifetimes.ResolveAsync(model.RecentResults.Select(r => r.Target));
        return model;
    }

    /// <summary>What is still waiting to be sent, per cache: polled by the operations page while a long purge or replay runs.</summary>
    public Task<CachePurgeStatusViewModel> GetStatusAsync() =>
        _dispatcher.UseAsync(dispatcher => Status(dispatcher, dispatcher.GetPendingCounts()), new CachePurgeStatusViewModel([]));

    /// <summary>Queues every page of <paramref name="urls"/> (one per line) for every cache, or none when a line is refused.</summary>
    public Task<UrlListPurge> PurgeUrlsAsync(string urls)
    {
        var lines = (urls ?? "").Split('\n').Select(l => l.Trim()).ToArray();
        return _dispatcher.UseAsync(dispatcher =>
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

            batch.Commit();
            return new UrlListPurge(true, batch.Targets.Count, []);
        }, new UrlListPurge(false, 0, []));
    }

    /// <summary>Purges every page from every cache, or from the one named <paramref name="cache"/>, as each cache can.</summary>
    public async Task<EverythingPurge> PurgeEverythingAsync(string cache)
    {
        var siteTag = await GetSiteTagAsync();
        return await _dispatcher.UseAsync(dispatcher =>
        {
            var name = string.IsNullOrEmpty(cache) ? null : cache;
            return name is null || dispatcher.Endpoints.Any(e => e.Name == name)
                ? new EverythingPurge(true, dispatcher.PurgeEverything(siteTag, name))
                : new EverythingPurge(true, new Dictionary<string, PurgeEverythingMethod>());
        }, new EverythingPurge(false, new Dictionary<string, PurgeEverythingMethod>()));
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

    /// <summary>Queues every dead-lettered purge again and returns how many.</summary>
    public Task<int> ReplayDeadLettersAsync() => _dispatcher.UseAsync(dispatcher => dispatcher.ReplayDeadLetters(), 0);

    private static CachePurgeStatusViewModel Status(PurgeDispatcher dispatcher, IReadOnlyDictionary<string, int> pending) =>
        new([.. dispatcher.Endpoints.Select(e => KeyValuePair.Create(e.Name, pending.GetValueOrDefault(e.Name)))]);

    /// <summary>The tag every page of the tenant carries, or null while pages carry no tags.</summary>
    private async Task<string> GetSiteTagAsync()
    {
        var (settings, _) = await _settingsService.GetSettingsAsync();
        return string.IsNullOrWhiteSpace(settings.ResponseTagHeader) ? null : ContentTags.ForSite(_shellSettings.Name);
    }
}
