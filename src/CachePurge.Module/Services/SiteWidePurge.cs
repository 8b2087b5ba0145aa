using CachePurge.Core;
using CachePurge.Module.Models;
using Microsoft.Extensions.Logging;
using OrchardCore.Environment.Shell;

namespace CachePurge.Module.Services;

/// <summary>
/// Purges every page of the tenant after site-wide changes, for the kinds of change the settings leave on: by the site
/// tag where the cache purges by tag, by a BAN where it can, and not at all (logged) where it can do neither.
/// </summary>
public sealed class SiteWidePurge
{
    private readonly CachePurgeSettingsService _settingsService;
    private readonly CachePurgeOperations _operations;
    private readonly SiteChangeMetrics _metrics;
    private readonly ShellSettings _shellSettings;
    private readonly ILogger _logger;

    public SiteWidePurge(
        CachePurgeSettingsService settingsService,
        CachePurgeOperations operations,
        SiteChangeMetrics metrics,
        ShellSettings shellSettings,
        ILogger<SiteWidePurge> logger)
    {
        _settingsService = settingsService;
        _operations = operations;
        _metrics = metrics;
        _shellSettings = shellSettings;
        _logger = logger;
    }

    public async Task PurgeAsync(IReadOnlyCollection<SiteChangeKind> kinds)
    {
        var (settings, _) = await _settingsService.GetSettingsAsync();
        var switches = settings.SiteChanges ?? new CachePurgeSiteChangeSettings();
        var purging = kinds.Where(switches.Purges).Order().ToList();
        if (purging.Count == 0)
        {
            CachePurgeModuleLog.SiteChangeNotPurged(_logger, _shellSettings.Name, string.Join(", ", kinds.Order()));
            return;
        }

        var purge = await _operations.PurgeEverythingAsync(null);
        if (!purge.IsActive)
        {
            return;
        }

        var changes = string.Join(", ", purging);
        var purged = purge.Methods.Where(m => m.Value != PurgeEverythingMethod.NotPossible).Select(m => m.Key).ToList();
        var unable = purge.Methods.Where(m => m.Value == PurgeEverythingMethod.NotPossible).Select(m => m.Key).ToList();
        if (purged.Count > 0)
        {
            _metrics.Purged(_shellSettings.Name, changes);
            CachePurgeModuleLog.SiteChangePurged(_logger, _shellSettings.Name, changes, string.Join(", ", purged));
        }

        if (unable.Count > 0)
        {
            CachePurgeModuleLog.SiteChangeNotPossible(_logger, _shellSettings.Name, changes, string.Join(", ", unable));
        }
    }
}
