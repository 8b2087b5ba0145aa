namespace CachePurge.Core;

/// <summary>Everything one site's dispatcher needs: its caches, its public host names and its limits.</summary>
public sealed class CachePurgeOptions
{
    /// <summary>The caches that receive every purge.</summary>
    public List<CacheEndpoint> Endpoints { get; set; } = [];

    /// <summary>The site's public host names (optionally with a port); each path is purged once per host.</summary>
    public List<string> SiteHosts { get; set; } = [];

    /// <summary>The site's path prefix (a tenant's URL prefix), e.g. <c>/blog</c>; empty for the root.</summary>
    public string PathBase { get; set; } = "";

    /// <summary>Pending paths for one cache above which they are replaced by one purge of everything (where the kind can); 0 disables.</summary>
    public int EscalationThreshold { get; set; } = 500;

    /// <summary>Pending purges held in memory per cache; beyond it they wait in the journal only and are read back in pages, so memory stays bounded whatever the backlog.</summary>
    public int MaxPendingInMemory { get; set; } = 20_000;

    /// <summary>Largest size in bytes of one tag header; longer tag lists are split across requests.</summary>
    public int TagHeaderLimit { get; set; } = 7_500;

    /// <summary>How many recent results the dispatcher keeps for the admin pages.</summary>
    public int RecentResultsCapacity { get; set; } = 200;

    /// <summary>Immediate retries of a transient failure (connection error, 5xx, 408, 429) before the purge waits for redelivery.</summary>
    public int RetryAttempts { get; set; } = 3;

    /// <summary>Delay before the first immediate retry; it grows exponentially, with jitter, unless the cache sends <c>Retry-After</c>.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Delay before the first redelivery of a purge that failed; it doubles on every failure.</summary>
    public TimeSpan RedeliveryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest delay between two redeliveries of one purge.</summary>
    public TimeSpan MaxRedeliveryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Age after which a purge that keeps failing moves to the dead-letter list.</summary>
    public TimeSpan DeadLetterAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Time that stopping allows for pending purges to be sent; the rest stays in the journal.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The SQLite journal file; null keeps pending purges in memory only (lost on restart).</summary>
    public string? JournalPath { get; set; }
}
