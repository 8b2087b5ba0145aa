using System.Data.Common;
using System.Diagnostics.Metrics;
using CachePurge.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrchardCore.Environment.Shell;
using OrchardCore.Modules;

namespace CachePurge.Module.Services;

/// <summary>
/// The tenant's purge engine (a tenant singleton), built once from the site settings when the tenant starts.
/// A settings change releases the tenant (<see cref="IShellReleaseManager"/>), as Orchard's own settings that
/// services depend on do: the next request builds a new tenant, whose engine takes over from this one
/// (<see cref="RunningEngines"/>) and replays the journal. Commits read no settings and take no lock.
/// </summary>
public sealed class TenantPurgeDispatcher : IAsyncDisposable, IDisposable
{
    private readonly CachePurgeSettingsService _settingsService;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IMeterFactory _meterFactory;
    private readonly TimeProvider _timeProvider;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ShellSettings _shellSettings;
    private readonly ILogger _logger;
    private readonly IServiceProvider _serviceProvider;
    private readonly SemaphoreSlim _startLock = new(1, 1);

    private PurgeDispatcher _engine;
    private volatile bool _started;

    public TenantPurgeDispatcher(
        CachePurgeSettingsService settingsService,
        IHttpClientFactory httpClientFactory,
        ILoggerFactory loggerFactory,
        ShellSettings shellSettings,
        IServiceProvider serviceProvider)
    {
        _settingsService = settingsService;
        _httpClientFactory = httpClientFactory;
        _loggerFactory = loggerFactory;
        _shellSettings = shellSettings;
        _logger = loggerFactory.CreateLogger<TenantPurgeDispatcher>();
        _serviceProvider = serviceProvider;

        // None is registered by every host; the engine works without metrics, on the system clock, and a host
        // without a lifetime is treated as one that is not shutting down.
        _meterFactory = serviceProvider.GetService<IMeterFactory>();
        _timeProvider = serviceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
        _lifetime = serviceProvider.GetService<IHostApplicationLifetime>();
    }

    /// <summary>Builds and starts the engine from the settings, taking over from the previous tenant's; once per tenant.</summary>
    public async Task StartAsync()
    {
        if (_started)
        {
            return;
        }

        await _startLock.WaitAsync();
        try
        {
            if (_started)
            {
                return;
            }

            var options = await _settingsService.GetOptionsAsync();
            _engine = await RunningEngines.ReplaceAsync(_settingsService.JournalPath, () => options is null ? null : Create(options));
            _started = true;
        }
        finally
        {
            _startLock.Release();
        }
    }

    /// <summary>
    /// Stops this tenant's engine unless a newer tenant's has taken over. When the application shuts down it drains
    /// for its configured time first, so that fewer purges wait for the next start; otherwise it stops at once and
    /// leaves the rest in the journal: nothing waits on a cache.
    /// </summary>
    public async Task StopAsync()
    {
        var engine = _engine;
        if (engine is not null)
        {
            var shuttingDown = _lifetime?.ApplicationStopping.IsCancellationRequested == true;
            await RunningEngines.StopAsync(_settingsService.JournalPath, engine, shuttingDown ? engine.DrainTimeout : TimeSpan.Zero);
        }
    }

    /// <summary>
    /// Hands one unit of work to the engine and returns the commit number it was journaled under; does nothing and
    /// returns 0 when purging is off or not configured, or when no cache takes any of it. <paramref name="cache"/> names
    /// the one cache it is for, or is null for every cache; a cache no longer configured takes nothing.
    /// </summary>
    public Task<long> CommitAsync(IEnumerable<string> urls, IEnumerable<string> tags, string cache = null) => UseAsync(dispatcher =>
    {
        if (cache is not null && !dispatcher.Endpoints.Any(e => e.Name == cache))
        {
            return 0;
        }

        var batch = dispatcher.CreateBatch(cache);
        foreach (var url in urls)
        {
            var result = batch.AddUrl(url);
            if (!result.IsValid)
            {
                // Paths come from routes and from editors' lists that were checked when saved; a site host that
                // changed since can still refuse one, and that must not stop the others.
                CachePurgeModuleLog.UrlRefused(_logger, url, _shellSettings.Name, result.Error);
            }
        }

        foreach (var tag in tags)
        {
            batch.AddTag(tag);
        }

        return batch.Commit();
    }, 0L);

    /// <summary>
    /// Runs <paramref name="action"/> on the tenant's running engine, or returns <paramref name="whenOff"/> when purging
    /// is off. A request that outlives its tenant's release reaches the new tenant's engine, with the new settings.
    /// </summary>
    public async Task<T> UseAsync<T>(Func<PurgeDispatcher, T> action, T whenOff)
    {
        if (!_started)
        {
            // Tenant events start the engine before the first request; this covers hosts and tests that do not.
            await StartAsync();
        }

        var engine = await RunningEngines.GetAsync(_settingsService.JournalPath);
        return engine is null ? whenOff : action(engine);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _startLock.Dispose();
    }

    // Orchard disposes a released shell's container synchronously when it finalizes it; by then a newer tenant's
    // engine has usually taken over, and otherwise this one stops without draining, which waits on no cache.
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Tells the tenant's <see cref="ICachePurgeEventHandler"/>s (a workflow, an alert) that a cache did not take a
    /// purge. The engine's worker must not wait for them, so they run on their own, in a scope of the tenant as it is
    /// now: after a settings change that is the new tenant, with its features.
    /// </summary>
    private void OnFailed(PurgeFailure failure) => _ = Task.Run(() => NotifyFailureAsync(failure));

    private async Task NotifyFailureAsync(PurgeFailure failure)
    {
        try
        {
            if (_serviceProvider.GetService<IShellHost>() is not { } shellHost || _lifetime?.ApplicationStopping.IsCancellationRequested == true)
            {
                return;
            }

            var (scope, success) = await shellHost.TryGetScopeAsync(_shellSettings.Name);
            if (!success)
            {
                return;
            }

            await scope.UsingAsync(async shellScope =>
            {
                var handlers = shellScope.ServiceProvider.GetServices<ICachePurgeEventHandler>();
                await handlers.InvokeAsync((handler, f) => handler.PurgeFailedAsync(f), failure, _logger);
            });
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Nothing awaits this task: what goes wrong is logged, and the engine goes on.
            CachePurgeModuleLog.PurgeFailureNotHandled(_logger, exception, _shellSettings.Name, failure.Endpoint, failure.Target);
        }
    }

    private PurgeDispatcher Create(CachePurgeOptions options)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(options.JournalPath)!);
            var dispatcher = new PurgeDispatcher(_shellSettings.Name, options, _httpClientFactory, _loggerFactory, _timeProvider, _meterFactory);
            dispatcher.Failed += OnFailed;
            dispatcher.Start();
            return dispatcher;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or DbException or InvalidOperationException or ArgumentException)
        {
            // The tenant must still start and serve pages; the admin sees purging as off and the log says why.
            CachePurgeModuleLog.EngineNotStarted(_logger, exception, _shellSettings.Name, options.JournalPath);
            return null;
        }
    }
}
