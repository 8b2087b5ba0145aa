namespace CachePurge.Core.Protocols.Cloudflare;

/// <summary>
/// Cloudflare's purge limits per account, as https://developers.cloudflare.com/cache/how-to/purge-cache/ documents
/// them: single-file (URL) purges in URLs per second, and tag, host, prefix and purge-everything calls in one token
/// bucket per plan. Both are shared by every zone and site of the account.
/// </summary>
internal static class CloudflareRateLimits
{
    public const string Urls = "cloudflare-urls";
    public const string BulkCalls = "cloudflare-bulk";

    private static readonly PurgeTargetKind[] BulkKinds = [PurgeTargetKind.Tag, PurgeTargetKind.Everything];

    public static RateLimit[] For(CloudflarePlan plan) =>
    [
        UrlsPerSecond(plan switch
        {
            CloudflarePlan.Free => 800,
            CloudflarePlan.Enterprise => 3_000,
            _ => 1_500,
        }),
        plan switch
        {
            CloudflarePlan.Free => new RateLimit(BulkCalls, BulkKinds, Burst: 25, Refill: 1, TimeSpan.FromSeconds(12)),
            CloudflarePlan.Pro => new RateLimit(BulkCalls, BulkKinds, Burst: 25, Refill: 1, TimeSpan.FromMilliseconds(200)),
            CloudflarePlan.Business => new RateLimit(BulkCalls, BulkKinds, Burst: 50, Refill: 1, TimeSpan.FromMilliseconds(100)),
            _ => new RateLimit(BulkCalls, BulkKinds, Burst: 500, Refill: 5, TimeSpan.FromMilliseconds(100)),
        },
    ];

    // A moving average over a second: at most a second's worth at once, refilled every tenth of a second.
    private static RateLimit UrlsPerSecond(int urls) =>
        new(Urls, [PurgeTargetKind.Path], Burst: urls, Refill: urls / 10, TimeSpan.FromMilliseconds(100), PerUrl: true);
}
