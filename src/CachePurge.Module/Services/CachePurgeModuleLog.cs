using Microsoft.Extensions.Logging;

namespace CachePurge.Module.Services;

/// <summary>Every log event of the module, with stable event ids (42xx; the engine's are 41xx) that monitoring can match on.</summary>
internal static partial class CachePurgeModuleLog
{
    [LoggerMessage(4201, LogLevel.Error, "The purge engine of tenant '{Tenant}' could not start with the journal {JournalPath}; purging is off until the tenant restarts.")]
    public static partial void EngineNotStarted(ILogger logger, Exception exception, string tenant, string journalPath);

    [LoggerMessage(4202, LogLevel.Warning, "Not purging '{Url}' on tenant '{Tenant}': {Reason}.")]
    public static partial void UrlRefused(ILogger logger, string url, string tenant, string reason);

    [LoggerMessage(4203, LogLevel.Warning, "The cache purge settings of tenant '{Tenant}' cannot be used, so purging is off until they are corrected on the settings page: {Problems}")]
    public static partial void SettingsUnusable(ILogger logger, string tenant, string problems);

    [LoggerMessage(4204, LogLevel.Information, "Site-wide change on tenant '{Tenant}' ({Changes}): every page is being purged from {Caches}.")]
    public static partial void SiteChangePurged(ILogger logger, string tenant, string changes, string caches);

    [LoggerMessage(4205, LogLevel.Warning, "Site-wide change on tenant '{Tenant}' ({Changes}): {Caches} can purge neither by tag nor by BAN, so nothing was sent to it; its pages stay until they expire.")]
    public static partial void SiteChangeNotPossible(ILogger logger, string tenant, string changes, string caches);

    [LoggerMessage(4206, LogLevel.Information, "Site-wide change on tenant '{Tenant}' ({Changes}): not purging, the settings turn purging off for these changes.")]
    public static partial void SiteChangeNotPurged(ILogger logger, string tenant, string changes);

    [LoggerMessage(4207, LogLevel.Warning, "Tenant '{Tenant}': took over {Count} purge intents nobody answered for (a node stopped before delivering them).")]
    public static partial void IntentsRecovered(ILogger logger, string tenant, int count);

    [LoggerMessage(4208, LogLevel.Error, "Tenant '{Tenant}': a purge intent nobody answered for could not be handed to this node's engine; it stays in the database and is tried again in a minute.")]
    public static partial void IntentNotRecovered(ILogger logger, Exception exception, string tenant);

    [LoggerMessage(4255, LogLevel.Warning, "Tenant '{Tenant}': this node's purge status could not be written to the site's database; the other nodes' operations pages show the last one written. Tried again in a minute.")]
    public static partial void NodeStatusNotWritten(ILogger logger, Exception exception, string tenant);
}
