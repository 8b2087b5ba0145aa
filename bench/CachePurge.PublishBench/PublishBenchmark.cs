using System.Diagnostics;
using System.Globalization;
using System.Text;
using CachePurge.Core;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.SampleSite;
using CachePurge.Testing;
using CachePurge.Testing.Farm;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrchardCore.Autoroute.Models;
using OrchardCore.ContentManagement;
using OrchardCore.Entities;
using OrchardCore.Environment.Shell;
using OrchardCore.Html.Models;
using OrchardCore.Settings;
using OrchardCore.Title.Models;

namespace CachePurge.PublishBench;

/// <summary>
/// The sample site in this process (on SQLite, or on a PostgreSQL cluster the benchmark starts on a free loopback
/// port, as the web farm tests do), and a "cache" that answers each purge after a delay. Each round
/// publishes the same edits with purging off and then on, so that both are measured under the same conditions.
/// </summary>
internal sealed class PublishBenchmark : IAsyncDisposable
{
    private const int Pages = 20;
    private const int WarmUpPublishes = 20;

    private readonly PublishBenchSettings _settings;
    private readonly string _root = Directory.CreateTempSubdirectory("cachepurge-publish-bench-").FullName;
    private readonly List<string> _pageIds = [];
    private WebApplication _app;
    private TestOrigin _slowCache;
    private PostgresServer _postgres;
    private int _edits;
    private readonly List<int> _waitingAfterOnRounds = [];

    private PublishBenchmark(PublishBenchSettings settings)
    {
        _settings = settings;
    }

    public static async Task<PublishBenchmark> StartAsync(PublishBenchSettings settings)
    {
        var bench = new PublishBenchmark(settings);
        await bench.InitializeAsync();
        return bench;
    }

    public async Task<string> RunAsync()
    {
        var off = new List<double[]>();
        var on = new List<double[]>();
        for (var round = 0; round < _settings.Rounds; round++)
        {
            off.Add(await MeasureAsync(enabled: false));
            on.Add(await MeasureAsync(enabled: true));
            _waitingAfterOnRounds.Add(await CountWaitingPurgesAsync());
        }

        var acknowledged = await MeasureAcknowledgementsAsync();
        return Report(off, on, acknowledged);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_slowCache is not null)
        {
            await _slowCache.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task InitializeAsync()
    {
        if (_settings.Database == "Postgres")
        {
            // The sample site sets itself up on the database its tenant configuration names (SampleSiteSetup).
            _postgres = await PostgresServer.StartAsync();
            Environment.SetEnvironmentVariable("OrchardCore__Default__DatabaseProvider", "Postgres");
            Environment.SetEnvironmentVariable("OrchardCore__Default__ConnectionString", await _postgres.CreateDatabaseAsync("publishbench"));
        }

        var port = FreePort.Next();
        _app = await SampleSiteHost.StartAsync(new Uri($"http://127.0.0.1:{port}/"), _root, "Publish benchmark", "Password01_", LogLevel.Error, Environments.Production);

        _slowCache = await TestOrigin.StartAsync();
        _slowCache.Delay = _settings.CacheDelay;

        for (var i = 0; i < Pages; i++)
        {
            await InTenantAsync(async services =>
            {
                var contentManager = services.GetRequiredService<IContentManager>();
                var item = await contentManager.NewAsync("Page");
                item.DisplayText = $"Bench page {i}";
                item.Alter<TitlePart>(p => p.Title = item.DisplayText);
                item.Alter<AutoroutePart>(p => p.Path = $"bench-page-{i}");
                item.Alter<HtmlBodyPart>(p => p.Html = "<p>first</p>");
                await contentManager.CreateAsync(item, VersionOptions.Published);
                _pageIds.Add(item.ContentItemId);
            });
        }
    }

    /// <summary>Publish times in milliseconds with purging <paramref name="enabled"/>, after an uncounted warm-up.</summary>
    private async Task<double[]> MeasureAsync(bool enabled)
    {
        await SetPurgingAsync(enabled);
        for (var i = 0; i < WarmUpPublishes; i++)
        {
            await PublishAsync();
        }

        var times = new double[_settings.Publishes];
        for (var i = 0; i < times.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await PublishAsync();
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        return times;
    }

    /// <summary>
    /// Milliseconds from an editor's "Publish" to the cache's acknowledgement of its purges, with the cache answering at
    /// once: each publish waits for the one before to be acknowledged, so that each is timed alone.
    /// </summary>
    private async Task<double[]> MeasureAcknowledgementsAsync()
    {
        _slowCache.Delay = TimeSpan.Zero;
        await SetPurgingAsync(enabled: true);
        await Eventually.WaitUntilAsync(async () => await CountWaitingPurgesAsync() == 0, 120, "the slow cache's backlog is delivered");
        var times = new double[Math.Min(_settings.Publishes, 100)];
        for (var i = 0; i < times.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await PublishAsync();
            while (await CountWaitingPurgesAsync() != 0)
            {
                await Task.Delay(1);
            }

            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        return times;
    }

    /// <summary>One editor's "Publish": a new draft of a page with new text, published, committed at the scope's end.</summary>
    private Task PublishAsync()
    {
        var edit = Interlocked.Increment(ref _edits);
        var id = _pageIds[edit % _pageIds.Count];
        return InTenantAsync(async services =>
        {
            var contentManager = services.GetRequiredService<IContentManager>();
            var item = await contentManager.GetAsync(id, VersionOptions.DraftRequired);
            item.Alter<HtmlBodyPart>(p => p.Html = $"<p>edit {edit}</p>");
            await contentManager.UpdateAsync(item);
            await contentManager.PublishAsync(item);
        });
    }

    /// <summary>Purging on sends every purge to the slow cache (Generic GET); off keeps the cache but disables purging.</summary>
    private Task SetPurgingAsync(bool enabled) => InTenantAsync(async services =>
    {
        var siteService = services.GetRequiredService<ISiteService>();
        var site = await siteService.LoadSiteSettingsAsync();
        var settings = site.GetOrCreate<CachePurgeSettings>();
        settings.Enabled = enabled;
        settings.SiteHosts = ["www.example.com"];
        settings.Caches =
        [
            new()
            {
                Name = "slow",
                BaseUrl = _slowCache.BaseUrl.ToString().TrimEnd('/'),
                Kind = CacheKind.Generic,
                Method = "GET",
                PathTemplate = "{path}",
                TimeoutSeconds = 30,
            },
        ];
        site.Put(settings);
        await siteService.UpdateSiteSettingsAsync(site);
        services.GetRequiredService<IShellReleaseManager>().RequestRelease();
    });

    /// <summary>Purges the engine holds for the slow cache: proof that purging was on and the cache was behind.</summary>
    private async Task<int> CountWaitingPurgesAsync()
    {
        var waiting = 0;
        await InTenantAsync(async services => waiting = await services.GetRequiredService<TenantPurgeDispatcher>()
            .UseAsync(engine => engine.GetPendingCounts().Values.Sum(), -1));
        return waiting;
    }

    private Task InTenantAsync(Func<IServiceProvider, Task> action) => SampleSiteSetup.InTenantAsync(_app.Services, action);

    private string Report(List<double[]> off, List<double[]> on, double[] acknowledged)
    {
        static double Percentile(IEnumerable<double> values, double q)
        {
            var sorted = values.Order().ToArray();
            return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        }

        var text = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        text.AppendLine(invariant, $"Publishing on the sample site ({_settings.Database}), {_settings.Publishes} publishes per row and round, the cache answering each purge after {_settings.CacheDelay.TotalSeconds:0.#} s.");
        text.AppendLine("| round | purging off, median ms | purging on, median ms | on / off |");
        text.AppendLine("|---:|---:|---:|---:|");
        var ratios = new List<double>();
        for (var round = 0; round < off.Count; round++)
        {
            var offMedian = Percentile(off[round], 0.5);
            var onMedian = Percentile(on[round], 0.5);
            ratios.Add(onMedian / offMedian);
            text.AppendLine(invariant, $"| {round + 1} | {offMedian:0.00} | {onMedian:0.00} | {onMedian / offMedian:0.000}× |");
        }

        var allOff = off.SelectMany(t => t).ToArray();
        var allOn = on.SelectMany(t => t).ToArray();
        text.AppendLine(invariant, $"All rounds: off p50 {Percentile(allOff, 0.5):0.00} ms, p95 {Percentile(allOff, 0.95):0.00} ms; on p50 {Percentile(allOn, 0.5):0.00} ms, p95 {Percentile(allOn, 0.95):0.00} ms.");
        text.AppendLine(invariant, $"Publish to acknowledgement, the cache answering at once ({acknowledged.Length} publishes, one at a time): p50 {Percentile(acknowledged, 0.5):0.00} ms, p95 {Percentile(acknowledged, 0.95):0.00} ms.");
        text.AppendLine(invariant, $"Median of the rounds' ratios: {Percentile(ratios, 0.5):0.000}× (range {ratios.Min():0.000}–{ratios.Max():0.000}). Purges waiting for the slow cache after each on-row: {string.Join(", ", _waitingAfterOnRounds)}.");
        return text.ToString();
    }
}
