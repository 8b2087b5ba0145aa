namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>A real varnish in front of a test origin, for the collection "varnish".</summary>
public sealed class VarnishFixture : CacheFixture<VarnishServer>
{
    protected override Task<VarnishServer> StartCacheAsync(TestOrigin origin) => VarnishServer.StartAsync(origin);
}
