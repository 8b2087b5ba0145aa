using System.Net;
using CachePurge.Core.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace CachePurge.Core;

/// <summary>
/// The one named <see cref="HttpClient"/> all purges go through: pipelined keep-alive connections
/// to plain-HTTP caches (<see cref="PipeliningHttpHandler"/>), SocketsHttpHandler for https, and
/// nothing else on the request path. Retries and the circuit breaker are per cache, in the engine
/// (see <c>EndpointResilience</c>), so that no request pays for finding its cache's pipeline.
/// </summary>
public static class CachePurgeHttp
{
    public const string ClientName = "CachePurge";

    /// <summary>Registers the purge client.</summary>
    public static IHttpClientBuilder AddCachePurgeHttpClient(this IServiceCollection services) => services
        .AddHttpClient(ClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
        .ConfigurePrimaryHttpMessageHandler(() => new PipeliningHttpHandler(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = 256,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        }))
        .SetHandlerLifetime(Timeout.InfiniteTimeSpan)

        // The engine logs every outcome itself, with stable event ids; the factory's per-request
        // logging handlers would only add a log scope and two events to each of thousands of purges.
        .RemoveAllLoggers();
}
