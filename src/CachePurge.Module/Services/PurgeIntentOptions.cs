namespace CachePurge.Module.Services;

/// <summary>
/// How purge intents are handed over between the nodes of a web farm; from the tenant's configuration section
/// <c>CachePurge</c> (e.g. <c>OrchardCore__CachePurge__IntentLease=00:03:00</c>).
/// </summary>
public sealed class PurgeIntentOptions
{
    /// <summary>
    /// How long a node answers for the intents its engine holds without renewing; it renews them every minute. After it,
    /// a node that died has its intents taken over. Shorter means faster recovery and more duplicate purges after a pause.
    /// </summary>
    public TimeSpan IntentLease { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>How long a request has to hand its own intent to its engine before the intent counts as left behind.</summary>
    public TimeSpan IntentHandOverTime { get; set; } = TimeSpan.FromSeconds(30);
}
