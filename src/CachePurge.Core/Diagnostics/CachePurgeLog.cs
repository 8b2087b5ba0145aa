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

    [LoggerMessage(4140, LogLevel.Error, "The API of {Endpoint} refused the purge of {Target}: {Error}. Check that its API token is the one the settings hold, still valid, and allowed to purge this zone's cache (Cloudflare: the zone's Cache Purge permission). Retrying slowly. {Skipped} more purges on {Endpoint} were refused the same way since the last report.")]
    public static partial void ApiRefused(ILogger logger, string endpoint, string target, string error, int skipped);

    [LoggerMessage(4104, LogLevel.Warning, "Cache {Endpoint} has {Pending} pending paths, above the threshold of {Threshold}; replacing them with one purge of everything.")]
    public static partial void Escalated(ILogger logger, string endpoint, int pending, int threshold);

    [LoggerMessage(4105, LogLevel.Error, "Purge of {Target} on {Endpoint} failed for longer than {Age}; moved to the dead-letter list. Last error: {Error}")]
    public static partial void DeadLettered(ILogger logger, string endpoint, string target, TimeSpan age, string error);

    [LoggerMessage(4106, LogLevel.Information, "Replayed {Count} purges from the journal.")]
    public static partial void Replayed(ILogger logger, int count);

    [LoggerMessage(4107, LogLevel.Error, "The purge journal {Path} is damaged and was set aside as {SetAsidePath}; purges go on with a new journal.")]
    public static partial void JournalSetAside(ILogger logger, Exception exception, string path, string setAsidePath);

    [LoggerMessage(4112, LogLevel.Error, "The commit log {Path}, left by a stopped engine, is damaged; the commits before the damage were recovered, the rest may be lost.")]
    public static partial void CommitLogDamaged(ILogger logger, string path);

    [LoggerMessage(4108, LogLevel.Error, "Writing to the purge journal {Path} failed ({Problem}); {Unsaved} committed purges are kept in memory, still sent, and written as soon as it takes writes again. {Skipped} more failures like it since the last report.")]
    public static partial void JournalWriteFailed(ILogger logger, Exception exception, string path, string problem, int unsaved, int skipped);

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

    [LoggerMessage(4113, LogLevel.Error, "The purge journal {Path} cannot be opened ({Problem}); committed purges are kept in memory only and still sent, and opening it is tried again every {RetrySeconds} s. What it held from before is sent once it opens. {Skipped} more failures like it since the last report.")]
    public static partial void JournalUnavailable(ILogger logger, string path, string problem, double retrySeconds, int skipped);

    [LoggerMessage(4114, LogLevel.Information, "The purge journal {Path} takes writes again after {Seconds} s; the {Unsaved} purges kept in memory were written to it. {Refused} writes or openings were refused meanwhile.")]
    public static partial void JournalWritableAgain(ILogger logger, string path, double seconds, int unsaved, int refused);

    [LoggerMessage(4115, LogLevel.Error, "The purge journal {Path} was {WhatHappened} while the engine used it; it was made again there from what the engine held ({Pending} pending purges), and what was committed meanwhile is written to it next.")]
    public static partial void JournalMadeAgain(ILogger logger, string path, string whatHappened, int pending);

    [LoggerMessage(4116, LogLevel.Warning, "The purge journal has not been writable since {Since}: {Count} purges kept in memory for cache {Endpoint} were replaced by one purge of everything, so that memory stays bounded.")]
    public static partial void UnsavedReplacedByEverything(ILogger logger, int count, string endpoint, DateTimeOffset? since);

    [LoggerMessage(4117, LogLevel.Error, "The purge journal has not been writable since {Since}: {Count} of the oldest purges kept in memory for cache {Endpoint}, which cannot purge everything, were given up so that memory stays bounded. They are sent only if this engine still holds them in its queue.")]
    public static partial void UnsavedGivenUp(ILogger logger, int count, string endpoint, DateTimeOffset? since);

    [LoggerMessage(4118, LogLevel.Error, "Stopped while the purge journal {Path} could not be written ({Problem}): of {Unsaved} purges kept in memory, those in the {Files} commit log files left beside it are saved by the next engine; {Lost} were in no file and are lost.")]
    public static partial void StoppedWithUnsaved(ILogger logger, string path, string problem, int unsaved, int files, int lost);

    [LoggerMessage(4119, LogLevel.Error, "Reading the purges of cache {Endpoint} that wait in the journal failed; reading them again in {RetrySeconds} s. {Skipped} more failures like it since the last report.")]
    public static partial void BacklogReadFailed(ILogger logger, Exception exception, string endpoint, double retrySeconds, int skipped);

    [LoggerMessage(4120, LogLevel.Warning, "The commit log beside the purge journal {Path} cannot be written ({Problem}); a commit is safe from a killed process only once the journal holds it, within 100 ms while it takes writes. {Skipped} more failures like it since the last report.")]
    public static partial void CommitLogNotWritable(ILogger logger, Exception exception, string path, string problem, int skipped);

    [LoggerMessage(4121, LogLevel.Warning, "{Count} acknowledgements were given up while the purge journal cannot be written, so that memory stays bounded; their purges may be sent once more after a restart.")]
    public static partial void UpdatesGivenUp(ILogger logger, int count);

    [LoggerMessage(4122, LogLevel.Error, "A purge was committed to an engine that had stopped; it is not journaled and is lost. {Skipped} more since the last report.")]
    public static partial void CommittedAfterStop(ILogger logger, int skipped);

    [LoggerMessage(4123, LogLevel.Warning, "Reading the purge journal {Path} failed ({Problem}); what it holds is left out of counts and lists until it can be read. {Skipped} more failures like it since the last report.")]
    public static partial void JournalReadFailed(ILogger logger, Exception exception, string path, string problem, int skipped);

    [LoggerMessage(4155, LogLevel.Warning, "Cache {Endpoint} cannot purge {Target} as it is (an Akamai cache tag has at most 128 characters); purging {Cover}, which covers it, instead.")]
    public static partial void Covered(ILogger logger, string endpoint, string target, string cover);

    [LoggerMessage(4156, LogLevel.Warning, "Cache {Endpoint} cannot purge {Target} (an Akamai cache tag has at most 128 characters) and has nothing that covers it (no CP codes, or never purge everything); it is not purged there. Shorten the tag or give the cache its CP codes.")]
    public static partial void NotCovered(ILogger logger, string endpoint, string target);
}
