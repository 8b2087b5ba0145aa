using Microsoft.Extensions.Logging;

namespace CachePurge.Core.Diagnostics;

/// <summary>The engine's events about CloudFront's invalidations (EventIds 4160–4164).</summary>
internal static partial class CloudFrontLog
{
    [LoggerMessage(4160, LogLevel.Warning, "CloudFront cache {Endpoint} is at its budget of {Budget} invalidation paths for {Month}; until the month ends, its paths are collapsed into wildcards (such as /blog/*) to keep within it, or as close as it can.")]
    public static partial void BudgetSpent(ILogger logger, string endpoint, int budget, string month);

    [LoggerMessage(4161, LogLevel.Warning, "The invalidation path count of CloudFront cache {Endpoint} could not be saved to {Path} ({Problem}); it is kept in memory and saved with the next invalidation.")]
    public static partial void CountNotSaved(ILogger logger, string endpoint, string path, string problem);

    [LoggerMessage(4162, LogLevel.Debug, "CloudFront cache {Endpoint} sent {Paths} paths as {Sent} paths and wildcards, to keep within its monthly budget.")]
    public static partial void Collapsed(ILogger logger, string endpoint, int paths, int sent);

    [LoggerMessage(4163, LogLevel.Warning, "CloudFront cache {Endpoint} could not collapse {Paths} paths into at most {Wildcards} wildcards without purging everything, which it must not; they were sent as they are, beyond its monthly budget.")]
    public static partial void NotCollapsed(ILogger logger, string endpoint, int paths, int wildcards);
}
