using Microsoft.Extensions.Logging;

namespace CachePurge.Core.Diagnostics;

/// <summary>Every log event of the engine, with stable event ids (41xx) that monitoring can match on.</summary>
internal static partial class CachePurgeLog
{
    [LoggerMessage(4101, LogLevel.Debug, "Purged {Target} on {Endpoint} for host {Host}: {Status} in {ElapsedMs} ms.")]
    public static partial void Purged(ILogger logger, string endpoint, string target, string host, int status, double elapsedMs);

    [LoggerMessage(4102, LogLevel.Warning, "Purge of {Target} on {Endpoint} failed ({Error}); attempt {Attempt}, next try in {DelaySeconds} s. {Skipped} more purges on {Endpoint} failed the same way since the last report.")]
    public static partial void DeliveryFailed(ILogger logger, string endpoint, string target, string error, int attempt, double delaySeconds, int skipped);

    [LoggerMessage(4103, LogLevel.Error, "Cache {Endpoint} refused the purge of {Target} with {Status}. Allow this server's address to send PURGE/BAN in the cache's ACL (Varnish: acl purgers; Squid: http_access allow PURGE; nginx: allow in the purge location) or fix the credentials header. Retrying slowly. {Skipped} more purges on {Endpoint} were refused the same way since the last report.")]
    public static partial void Refused(ILogger logger, string endpoint, string target, int status, int skipped);

    [LoggerMessage(4104, LogLevel.Warning, "Cache {Endpoint} has {Pending} pending paths, above the threshold of {Threshold}; replacing them with one purge of everything.")]
    public static partial void Escalated(ILogger logger, string endpoint, int pending, int threshold);

    [LoggerMessage(4105, LogLevel.Error, "Purge of {Target} on {Endpoint} failed for longer than {Age}; moved to the dead-letter list. Last error: {Error}")]
    public static partial void DeadLettered(ILogger logger, string endpoint, string target, TimeSpan age, string error);

    [LoggerMessage(4106, LogLevel.Information, "Replayed {Count} purges from the journal.")]
    public static partial void Replayed(ILogger logger, int count);

    [LoggerMessage(4107, LogLevel.Error, "The purge journal {Path} could not be used and was set aside as {SetAsidePath}; purges go on with a new journal.")]
    public static partial void JournalSetAside(ILogger logger, Exception exception, string path, string setAsidePath);

    [LoggerMessage(4112, LogLevel.Error, "The commit log {Path}, left by a stopped engine, is damaged; the commits before the damage were recovered, the rest may be lost.")]
    public static partial void CommitLogDamaged(ILogger logger, string path);

    [LoggerMessage(4108, LogLevel.Error, "Writing to the purge journal failed; purges go on in memory only until it recovers.")]
    public static partial void JournalWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(4109, LogLevel.Warning, "Stopped with {Pending} purges still pending after draining for {DrainSeconds} s; they stay in the journal.")]
    public static partial void StoppedWithPending(ILogger logger, int pending, double drainSeconds);

    [LoggerMessage(4110, LogLevel.Information, "Replayed {Count} dead-lettered purges.")]
    public static partial void DeadLettersReplayed(ILogger logger, int count);

    [LoggerMessage(4130, LogLevel.Warning, "Cache {Endpoint} failed {Failures} of the last {Attempts} purge requests within {SamplingSeconds} s; its purges wait, and one is sent every {BreakSeconds} s to see whether it is back.")]
    public static partial void CircuitOpened(ILogger logger, string endpoint, int failures, int attempts, double samplingSeconds, double breakSeconds);

    [LoggerMessage(4131, LogLevel.Information, "Cache {Endpoint} answers again; its waiting purges are being sent.")]
    public static partial void CircuitClosed(ILogger logger, string endpoint);

    [LoggerMessage(4111, LogLevel.Warning, "Dropped {Count} journal entries of cache {Endpoint}, which is no longer configured.")]
    public static partial void DroppedForRemovedEndpoint(ILogger logger, int count, string endpoint);
}
