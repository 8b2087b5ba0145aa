using System.Diagnostics.Metrics;
using CachePurge.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OrchardCore.Environment.Shell;

namespace CachePurge.Module.Services;

/// <summary>
/// The tenant's one purge engine (a tenant singleton). It is built from the site settings on first use and
/// rebuilt when they change: the old engine is disposed, which leaves what it could not send in the tenant's
/// journal, and the new one replays it. Everything goes through one lock so that no commit reaches an engine
/// that is being disposed.
/// </summary>
public sealed class TenantPurgeDispatcher : IAsyncDisposable
{
    private readonly CachePurgeSettingsService _settingsService;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly ILoggerFactory _loggerFactory;
    private readonly IMeterFactory _meterFactory;
    private readonly TimeProvider _timeProvider;
    private readonly ShellSettings _shellSettings;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lock = new(1, 1);

    private PurgeDispatcher _dispatcher;
    private string _fingerprint = "";
    private bool _stopped;

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

        // Neither is registered by every host; the engine works without metrics and on the system clock.
        _meterFactory = serviceProvider.GetService<IMeterFactory>();
        _timeProvider = serviceProvider.GetService<TimeProvider>() ?? TimeProvider.System;
    }

    /// <summary>Builds and starts the engine (replaying the journal) if purging is configured.</summary>
    public async Task StartAsync()
    {
        await _lock.WaitAsync();
        try
        {
            _stopped = false;
            await RefreshCoreAsync();
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Stops the engine; what it could not send within its drain time stays in the journal.</summary>
    public async Task StopAsync()
    {
        await _lock.WaitAsync();
        try
        {
            _stopped = true;
            await ReplaceAsync(null, "");
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Rebuilds the engine if the settings changed since it was built; does nothing once the tenant stops.</summary>
    public Task RefreshAsync() => UseAsync(_ => true, false);

    /// <summary>Hands one unit of work to the engine; does nothing when purging is off or not configured.</summary>
    public Task CommitAsync(IEnumerable<string> urls, IEnumerable<string> tags) => UseAsync(dispatcher =>
    {
        var batch = dispatcher.CreateBatch();
        foreach (var url in urls)
        {
            var result = batch.AddUrl(url);
            if (!result.IsValid)
            {
                // Paths come from routes and from editors' lists that were checked when saved; a site host that
                // changed since can still refuse one, and that must not stop the others.
                _logger.LogWarning("Not purging '{Url}' on tenant '{Tenant}': {Reason}.", url, _shellSettings.Name, result.Error);
            }
        }

        foreach (var tag in tags)
        {
            batch.AddTag(tag);
        }

        batch.Commit();
        return batch.Targets.Count;
    }, 0);

    /// <summary>Runs <paramref name="action"/> on the current engine, or returns <paramref name="whenOff"/>.</summary>
    public async Task<T> UseAsync<T>(Func<PurgeDispatcher, T> action, T whenOff)
    {
        await _lock.WaitAsync();
        try
        {
            if (!_stopped)
            {
                await RefreshCoreAsync();
            }

            return _dispatcher is null ? whenOff : action(_dispatcher);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _lock.Dispose();
    }

    private async Task RefreshCoreAsync()
    {
        var options = await _settingsService.GetOptionsAsync();
        var fingerprint = CachePurgeSettingsService.Fingerprint(options);
        if (fingerprint != _fingerprint)
        {
            await ReplaceAsync(options, fingerprint);
        }
    }

    private async Task ReplaceAsync(CachePurgeOptions options, string fingerprint)
    {
        // The old engine must let go of the journal before the new one opens and replays it.
        if (_dispatcher is not null)
        {
            var old = _dispatcher;
            _dispatcher = null;
            await old.DisposeAsync();
        }

        _fingerprint = fingerprint;
        if (options is null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(options.JournalPath)!);
        var dispatcher = new PurgeDispatcher(_shellSettings.Name, options, _httpClientFactory, _loggerFactory, _timeProvider, _meterFactory);
        dispatcher.Start();
        _dispatcher = dispatcher;
    }
}
