using Microsoft.Extensions.Logging;

namespace CachePurge.Module.Services;

/// <summary>Every log event of the module, with stable event ids (42xx; the engine's are 41xx) that monitoring can match on.</summary>
internal static partial class CachePurgeModuleLog
{
    [LoggerMessage(4201, LogLevel.Error, "The purge engine of tenant '{Tenant}' could not start with the journal {JournalPath}; purging is off until the tenant restarts.")]
    public static partial void EngineNotStarted(ILogger logger, Exception exception, string tenant, string journalPath);

    [LoggerMessage(4202, LogLevel.Warning, "Not purging '{Url}' on tenant '{Tenant}': {Reason}.")]
    public static partial void UrlRefused(ILogger logger, string url, string tenant, string reason);
}
