namespace CachePurge.Core.Protocols.Akamai;

/// <summary>
/// Fast Purge's token buckets, per account and shared by all its API clients, as
/// https://techdocs.akamai.com/purge-cache/reference/rate-limiting documents them: requests 100, refilled 50 a
/// second; URL objects 10,000, refilled 12,000 a minute; cache tags 5,000, refilled 500 a minute; CP codes 300,
/// refilled 30 a minute. Every object of a request takes a token of its type, and a request is refused whole (429)
/// when a bucket cannot cover it.
/// </summary>
internal static class AkamaiRateLimits
{
    public const string Requests = "akamai-requests";
    public const string Urls = "akamai-urls";
    public const string Tags = "akamai-tags";
    public const string CpCodes = "akamai-cpcodes";

    public static RateLimit[] For(int cpCodes) =>
    [
        new(Requests, [], Burst: 100, Refill: 5, TimeSpan.FromMilliseconds(100)),
        new(Urls, [PurgeTargetKind.Path], Burst: 10_000, Refill: 20, TimeSpan.FromMilliseconds(100), PerUrl: true),
        new(Tags, [PurgeTargetKind.Tag], Burst: 5_000, Refill: 1, TimeSpan.FromMilliseconds(120), PerUrl: true),

        // A purge of everything is one call naming every CP code: it draws one token per CP code, so the bucket counts
        // such calls, 300 CP codes' worth, one more each time as many CP codes have come back (30 a minute, one per 2 s).
        new(CpCodes, [PurgeTargetKind.Everything], Burst: Math.Max(1, 300 / Math.Max(1, cpCodes)), Refill: 1, TimeSpan.FromSeconds(2 * Math.Max(1, cpCodes))),
    ];
}
