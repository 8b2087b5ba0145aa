namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>A real nginx in front of a test origin, for the collection "nginx".</summary>
public sealed class NginxFixture : CacheFixture<NginxServer>
{
    protected override Task<NginxServer> StartCacheAsync(TestOrigin origin) => NginxServer.StartAsync(origin);
}
