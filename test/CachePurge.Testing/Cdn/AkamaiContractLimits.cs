namespace CachePurge.Testing.Cdn;

/// <summary>
/// Fast Purge's token buckets, per https://techdocs.akamai.com/purge-cache/reference/rate-limiting: requests 100
/// refilled 50 a second, URLs 10,000 refilled 12,000 a minute, tags 5,000 refilled 500 a minute, CP codes 300
/// refilled 30 a minute. A test may make a bucket smaller to prove the server enforces it.
/// </summary>
public sealed record AkamaiContractLimits(int RequestBurst, double RequestsPerSecond, int UrlBurst, double UrlsPerSecond, int TagBurst, double TagsPerSecond, int CpCodeBurst, double CpCodesPerSecond)
{
    public static AkamaiContractLimits Documented { get; } = new(100, 50, 10_000, 12_000 / 60.0, 5_000, 500 / 60.0, 300, 30 / 60.0);
}
