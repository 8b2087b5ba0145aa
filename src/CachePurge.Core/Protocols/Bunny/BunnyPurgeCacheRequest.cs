namespace CachePurge.Core.Protocols.Bunny;

/// <summary>The body of <c>POST /pullzone/{id}/purgeCache</c> that purges one cache tag; without a body the whole pull zone is purged.</summary>
internal sealed class BunnyPurgeCacheRequest
{
    public required string CacheTag { get; init; }
}
