using Microsoft.Extensions.Logging;

namespace CachePurge.Core.Diagnostics;

/// <summary>The events of purges a CDN completes later (4165–4174).</summary>
internal static partial class CachePurgeLog
{
    [LoggerMessage(4165, LogLevel.Debug, "Purge {Id} on {Endpoint} ({Items} items) completed at the CDN after {Seconds} s.")]
    public static partial void Completed(ILogger logger, string endpoint, string id, int items, double seconds);

    [LoggerMessage(4166, LogLevel.Warning, "The CDN {Endpoint} gave up purge {Id} ({Error}); its {Targets} targets are sent again.")]
    public static partial void CompletionFailed(ILogger logger, string endpoint, string id, string error, int targets);

    [LoggerMessage(4167, LogLevel.Warning, "Asking {Endpoint} where purge {Id} stands failed ({Error}); asking again in {DelaySeconds} s.")]
    public static partial void CompletionUnknown(ILogger logger, string endpoint, string id, string error, double delaySeconds);
}
