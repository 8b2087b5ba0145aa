using Microsoft.Extensions.Logging;

namespace CachePurge.Module.Services;

/// <summary>The events of the module's integrations (workflows, audit trail, API): 4220–4239.</summary>
internal static partial class CachePurgeModuleLog
{
    [LoggerMessage(4220, LogLevel.Error, "The handlers of a failed purge of {Target} on cache {Endpoint} of tenant '{Tenant}' could not run.")]
    public static partial void PurgeFailureNotHandled(ILogger logger, Exception exception, string tenant, string endpoint, string target);

    [LoggerMessage(4221, LogLevel.Information, "Purge requested by {Source} on tenant '{Tenant}': {Targets} targets journaled for {Caches}.")]
    public static partial void PurgeRequested(ILogger logger, string source, string tenant, int targets, string caches);

    [LoggerMessage(4222, LogLevel.Information, "Purge of everything requested by {Source} on tenant '{Tenant}' for {Caches}.")]
    public static partial void EverythingRequested(ILogger logger, string source, string tenant, string caches);

    [LoggerMessage(4223, LogLevel.Warning, "Purge requested by {Source} on tenant '{Tenant}' refused: {Errors}")]
    public static partial void PurgeRequestRefused(ILogger logger, string source, string tenant, string errors);
}
