namespace CachePurge.Testing.Cdn;

/// <summary>
/// The limits a Cloudflare account enforces, per https://developers.cloudflare.com/cache/how-to/purge-cache/: items per
/// call, single-file purges in URLs per second, and the token bucket of tag, host, prefix and everything purges.
/// </summary>
public sealed record CloudflareContractLimits(int ItemsPerCall, int UrlsPerSecond, int BulkBurst, double BulkPerSecond)
{
    public static CloudflareContractLimits Free { get; } = new(100, 800, 25, 5 / 60.0);

    public static CloudflareContractLimits Pro { get; } = new(100, 1_500, 25, 5);

    public static CloudflareContractLimits Enterprise { get; } = new(500, 3_000, 500, 50);
}
