using CachePurge.Core.Tests.Infrastructure;
using CachePurge.Core.Transport;

namespace CachePurge.Core.Tests.Integration;

/// <summary>Pipelined requests against the real Varnish: every answer must reach the request it belongs to.</summary>
[Collection(VarnishCollection.Name)]
public sealed class VarnishPipeliningTests(VarnishFixture varnish)
{
    [Fact]
    public async Task Answers_of_pipelined_requests_through_varnish_reach_their_own_requests()
    {
        var prefix = $"/pipelined/{Guid.NewGuid():N}";
        using var client = new HttpClient(new PipeliningHttpHandler(new SocketsHttpHandler { UseProxy = false }) { MaxConnectionsPerServer = 4, PipelineDepth = 32 });

        var bodies = await Task.WhenAll(Enumerable.Range(0, 1_000).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(varnish.Cache.BaseUrl, $"{prefix}/{i}"));
            request.Headers.Host = CachedPage.Host;
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return (Index: i, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.All(bodies, b => Assert.StartsWith($"path={prefix}/{b.Index} ", b.Body));
    }
}
