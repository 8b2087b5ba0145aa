using System.Net;
using Microsoft.Extensions.DependencyInjection;

namespace CachePurge.Core;

/// <summary>
/// The one named <see cref="HttpClient"/> all purges go through: SocketsHttpHandler, with keep-alive connections of
/// HTTP/1.1 (one request at a time on each, so that every answer belongs to the request it came back for) or, for a
/// cache whose <see cref="CacheEndpoint.Http2"/> switch is on, HTTP/2 streams. Retries and the circuit breaker are
/// per cache, in the engine (see <c>EndpointResilience</c>), so that one cache that fails does not slow the others.
/// </summary>
public static class CachePurgeHttp
{
    public const string ClientName = "CachePurge";

    /// <summary>Registers the purge client.</summary>
    public static IHttpClientBuilder AddCachePurgeHttpClient(this IServiceCollection services) => services
        .AddHttpClient(ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
        .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,

            // A cache takes up to 256 purges at once (CacheEndpoint.MaxConcurrency); over HTTP/1.1 each needs a connection.
            MaxConnectionsPerServer = 256,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            EnableMultipleHttp2Connections = true,
        })
        .SetHandlerLifetime(Timeout.InfiniteTimeSpan)

        // The engine logs every outcome itself, with stable event ids; the factory's per-request
        // logging handlers would only add a log scope and two events to each of thousands of purges.
        .RemoveAllLoggers();
}
