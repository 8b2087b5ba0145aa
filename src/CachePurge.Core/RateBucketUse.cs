namespace CachePurge.Core;

/// <summary>
/// How much of one of a cache's rate limits is left now, for its health on the operations page
/// (<see cref="EndpointHealth.RateBudget"/>).
/// </summary>
/// <param name="Name">The limit's name, as the backend declares it: <c>cloudflare-bulk</c>, <c>requests</c>.</param>
/// <param name="Available">The tokens the bucket holds now, refilled for the time gone by. A bucket shared by several caches of one CDN account shows what all of them left.</param>
/// <param name="Capacity">The most tokens the bucket holds.</param>
/// <param name="Waited">How long this cache's calls waited for the bucket's tokens, in all, since the engine started.</param>
public sealed record RateBucketUse(string Name, int Available, int Capacity, TimeSpan Waited);
