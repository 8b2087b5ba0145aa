namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>A real squid in front of a test origin, for the collection "squid".</summary>
public sealed class SquidFixture : CacheFixture<SquidServer>
{
    protected override Task<SquidServer> StartCacheAsync(TestOrigin origin) => SquidServer.StartAsync(origin);
}
