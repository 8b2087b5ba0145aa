using System.Collections.Concurrent;
using System.Net.Http;

namespace CachePurge.Core.Transport;

/// <summary>
/// The purge client's transport for plain-HTTP caches. SocketsHttpHandler waits for each answer
/// before a connection carries the next request, so a burst of purges costs one connection, one
/// write and one read per request; Varnish, Squid and nginx all read pipelined requests, and
/// writing many requests per connection at once lets both sides do a fraction of the system calls.
/// https, requests with a body, and requests marked with <see cref="Disabled"/> go to
/// <see cref="DelegatingHandler.InnerHandler"/> unchanged.
/// </summary>
public sealed class PipeliningHttpHandler : DelegatingHandler
{
    /// <summary>Set on a request to send it through the inner handler, one request per connection at a time.</summary>
    public static readonly HttpRequestOptionsKey<bool> Disabled = new("CachePurge.PipeliningDisabled");

    private readonly ConcurrentDictionary<(string Host, int Port), PipelinedConnectionPool> _pools = new();

    public PipeliningHttpHandler(HttpMessageHandler innerHandler)
        : base(innerHandler)
    {
    }

    /// <summary>Requests one connection carries before another is opened.</summary>
    public int PipelineDepth { get; init; } = 16;

    /// <summary>Connections per cache; past them, requests queue on the least busy.</summary>
    public int MaxConnectionsPerServer { get; init; } = 8;

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is not { Scheme: "http" } uri || request.Content is not null
            || (request.Options.TryGetValue(Disabled, out var disabled) && disabled))
        {
            return base.SendAsync(request, cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        var exchange = new PipelinedExchange(request, HttpRequestSerializer.Serialize(request));
        exchange.WatchCancellation(cancellationToken);
        _pools.GetOrAdd((uri.IdnHost, uri.Port), static (key, handler) => new PipelinedConnectionPool(key.Host, key.Port, handler), this).Send(exchange);
        return exchange.Task;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var pool in _pools.Values)
            {
                pool.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
