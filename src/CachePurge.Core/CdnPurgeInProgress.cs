namespace CachePurge.Core;

/// <summary>A purge a CDN accepted and is still carrying out (Azure Front Door, CloudFront, Akamai), as the admin pages show it.</summary>
/// <param name="Id">The CDN's id for it (an Azure operation, a CloudFront invalidation, Akamai's purgeId).</param>
/// <param name="Items">How many paths (or URLs, tags) it carries.</param>
/// <param name="Sent">When the CDN accepted it.</param>
/// <param name="Estimated">When the CDN said it would be done, or would next be worth asking; null when it did not say.</param>
/// <param name="LastError">Why the last question about it went unanswered; null when it was answered.</param>
public sealed record CdnPurgeInProgress(string Id, int Items, DateTimeOffset Sent, DateTimeOffset? Estimated, string? LastError);
