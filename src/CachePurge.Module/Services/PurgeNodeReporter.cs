using CachePurge.Core;
using CachePurge.Module.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrchardCore.Environment.Shell;
using OrchardCore.Modules;

namespace CachePurge.Module.Services;

/// <summary>
/// Writes this node's <see cref="PurgeNodeStatus"/> of the tenant (a tenant singleton): at engine start and from the
/// lease task every minute, but only when what the engine holds changed, or as a heartbeat once a lease period is
/// nearly over. An idle tenant compares a few numbers in memory each minute and writes once a lease period.
/// </summary>
public sealed class PurgeNodeReporter
{
    /// <summary>How long after a node's last status it is shown as gone; it is removed after <see cref="ForgottenAfter"/>.</summary>
    public const int LeasePeriodsUntilGone = 3;

    public static readonly TimeSpan ForgottenAfter = TimeSpan.FromDays(1);

    // The lease task runs once a minute, so a status is not refreshed more often than that whatever the lease.
    private static readonly TimeSpan _minimumPeriod = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan _heartbeatMargin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan _cleanupInterval = TimeSpan.FromHours(1);

    private readonly TenantPurgeDispatcher _dispatcher;
    private readonly IClock _clock;
    private readonly TimeSpan _period;
    private readonly ShellSettings _shellSettings;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lock = new(1, 1);

    private List<PurgeNodeCacheStatus> _written;
    private DateTime _writtenUtc;
    private DateTime _cleanedUtc;

    public PurgeNodeReporter(
        TenantPurgeDispatcher dispatcher,
        IClock clock,
        IOptions<PurgeIntentOptions> options,
        ShellSettings shellSettings,
        ILogger<PurgeNodeReporter> logger)
    {
        _dispatcher = dispatcher;
        _clock = clock;
        _period = LeasePeriod(options.Value);
        _shellSettings = shellSettings;
        _logger = logger;
    }

    /// <summary>How often a live node writes its status at the least: its intents' lease, and no less than the lease task's minute.</summary>
    public static TimeSpan LeasePeriod(PurgeIntentOptions options) => options.IntentLease > _minimumPeriod ? options.IntentLease : _minimumPeriod;

    /// <summary>Writes this node's status with <paramref name="services"/>' session when it changed or is due again; never throws.</summary>
    public async Task ReportAsync(IServiceProvider services)
    {
        try
        {
            var caches = await _dispatcher.UseAsync(Snapshot, []);
            var now = _clock.UtcNow;

            await _lock.WaitAsync();
            try
            {
                if (_written is not null && _written.SequenceEqual(caches) && now - _writtenUtc < _period - _heartbeatMargin)
                {
                    return;
                }

                var store = services.GetRequiredService<PurgeNodeStatusStore>();
                var status = await store.FindAsync(PurgeNode.Id) ?? new PurgeNodeStatus
                {
                    Node = PurgeNode.Id,
                    MachineName = Environment.MachineName,
                    ProcessId = Environment.ProcessId,
                };

                status.LastSeenUtc = now;
                status.Caches = caches;
                await store.SaveNowAsync(status);
                (_written, _writtenUtc) = (caches, now);

                if (now - _cleanedUtc >= _cleanupInterval)
                {
                    await store.RemoveSeenBeforeAsync(now - ForgottenAfter);
                    _cleanedUtc = now;
                }
            }
            finally
            {
                _lock.Release();
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Only the other nodes' operations pages miss it; the next minute tries again.
            CachePurgeModuleLog.NodeStatusNotWritten(_logger, exception, _shellSettings.Name);
        }
    }

    private static List<PurgeNodeCacheStatus> Snapshot(PurgeDispatcher dispatcher)
    {
        var pending = dispatcher.GetPendingCounts();
        var health = dispatcher.GetEndpointHealth();
        return [.. dispatcher.Endpoints.Select((endpoint, i) => health[i] is { } h
            ? new PurgeNodeCacheStatus
            {
                Name = endpoint.Name,
                Pending = pending.GetValueOrDefault(endpoint.Name),
                CallsInFlight = h.CallsInFlight,
                LastSuccessUtc = h.LastSuccess?.UtcDateTime,
                LastError = h.LastError?.Message,
                LastErrorUtc = h.LastError?.LastTime.UtcDateTime,
                LastErrorCount = h.LastError?.Count ?? 0,
                Circuit = h.Circuit.ToString(),
                JournalWritable = h.Journal.IsWritable,
            }
            : new PurgeNodeCacheStatus { Name = endpoint.Name, Pending = pending.GetValueOrDefault(endpoint.Name), Circuit = nameof(CircuitState.Closed), JournalWritable = true })];
    }
}
