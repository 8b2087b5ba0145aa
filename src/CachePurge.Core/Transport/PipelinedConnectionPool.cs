using System.Net.Http;

namespace CachePurge.Core.Transport;

/// <summary>
/// The pipelined connections to one cache (host and port). A request goes to the least busy
/// connection; a new connection is opened only when every open one already carries
/// <see cref="PipeliningHttpHandler.PipelineDepth"/> requests, up to
/// <see cref="PipeliningHttpHandler.MaxConnectionsPerServer"/>.
/// </summary>
internal sealed class PipelinedConnectionPool(string host, int port, PipeliningHttpHandler settings)
{
    private readonly Lock _lock = new();
    private readonly List<PipelinedConnection> _connections = [];
    private bool _disposed;

    public string Host => host;

    public int Port => port;

    public TimeSpan ConnectTimeout => settings.ConnectTimeout;

    public void Send(PipelinedExchange exchange)
    {
        while (true)
        {
            PipelinedConnection connection;
            lock (_lock)
            {
                if (_disposed)
                {
                    exchange.Fail(new ObjectDisposedException(nameof(PipeliningHttpHandler)));
                    return;
                }

                connection = LeastBusy();
            }

            if (connection.TryEnqueue(exchange))
            {
                return;
            }

            // It closed in between; it has already told us (Closed) and is out of the list.
        }
    }

    /// <summary>A connection ended: requests it had not answered are sent again once, on another connection.</summary>
    public void Closed(PipelinedConnection connection, IReadOnlyList<PipelinedExchange> unanswered, Exception reason)
    {
        lock (_lock)
        {
            _connections.Remove(connection);
        }

        foreach (var exchange in unanswered)
        {
            if (exchange.Task.IsCompleted)
            {
                continue;
            }

            if (exchange.Attempts < 2 && reason is not OperationCanceledException)
            {
                Send(exchange);
            }
            else
            {
                exchange.Fail(reason as HttpRequestException
                    ?? new HttpRequestException(HttpRequestError.ConnectionError, $"The connection to {host}:{port} was closed before the cache answered.", reason));
            }
        }
    }

    public void Dispose()
    {
        PipelinedConnection[] connections;
        lock (_lock)
        {
            _disposed = true;
            connections = [.. _connections];
        }

        foreach (var connection in connections)
        {
            connection.Abort(new ObjectDisposedException(nameof(PipeliningHttpHandler)));
        }
    }

    private PipelinedConnection LeastBusy()
    {
        PipelinedConnection? best = null;
        foreach (var connection in _connections)
        {
            if (best is null || connection.Load < best.Load)
            {
                best = connection;
            }
        }

        if (best is not null && (best.Load < settings.PipelineDepth || _connections.Count >= settings.MaxConnectionsPerServer))
        {
            return best;
        }

        var opened = new PipelinedConnection(this);
        _connections.Add(opened);
        opened.Start();
        return opened;
    }
}
