namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>A real varnish started with <c>-p feature=+http2</c>, so that it takes HTTP/2 with prior knowledge too.</summary>
public sealed class VarnishHttp2Fixture : CacheFixture<VarnishServer>
{
    protected override Task<VarnishServer> StartCacheAsync(TestOrigin origin) => VarnishServer.StartAsync(origin, http2: true);
}
