using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace CachePurge.Core.Transport;

/// <summary>
/// One keep-alive connection to a cache that carries several requests at once (HTTP/1.1
/// pipelining, RFC 9112 §9.3.2): requests are written as they come, many per write, and the
/// answers, which come back in the same order, are matched to them as they are read. When the
/// connection ends, the requests it had not answered go back to the pool to be sent again.
/// </summary>
internal sealed class PipelinedConnection
{
    private const int InitialReadBuffer = 16 * 1024;

    private readonly PipelinedConnectionPool _pool;
    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly Lock _lock = new();
    private readonly Queue<PipelinedExchange> _awaiting = new();
    private List<PipelinedExchange> _outbox = [];
    private List<PipelinedExchange> _sending = [];
    private byte[] _writeBuffer = new byte[4096];
    private bool _connected;
    private bool _writing;
    private bool _closed;
    private int _load;

    public PipelinedConnection(PipelinedConnectionPool pool)
    {
        _pool = pool;
    }

    /// <summary>Requests given to it and not answered yet.</summary>
    public int Load => Volatile.Read(ref _load);

    public void Start() => _ = RunAsync();

    /// <summary>Queues a request for writing; false if the connection has closed and cannot take it.</summary>
    public bool TryEnqueue(PipelinedExchange exchange)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return false;
            }

            exchange.Connection = this;
            exchange.Attempts++;
            Interlocked.Increment(ref _load);
            _awaiting.Enqueue(exchange);
            _outbox.Add(exchange);
            if (!_connected || _writing)
            {
                return true;
            }

            _writing = true;
        }

        _ = WriteAsync();
        return true;
    }

    /// <summary>Closes the connection; its unanswered requests go back to the pool.</summary>
    public void Abort(Exception reason)
    {
        PipelinedExchange[] unanswered;
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            unanswered = [.. _awaiting];
            _awaiting.Clear();
            _outbox.Clear();
        }

        _socket.Dispose();
        _pool.Closed(this, unanswered, reason);
    }

    private async Task RunAsync()
    {
        try
        {
            using (var timeout = new CancellationTokenSource(_pool.ConnectTimeout))
            {
                await _socket.ConnectAsync(new DnsEndPoint(_pool.Host, _pool.Port), timeout.Token).ConfigureAwait(false);
            }

            bool write;
            lock (_lock)
            {
                _connected = true;
                write = _outbox.Count > 0 && !_closed;
                _writing = write;
            }

            if (write)
            {
                _ = WriteAsync();
            }

            await ReadAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Abort(ex is OperationCanceledException
                ? new HttpRequestException(HttpRequestError.ConnectionError, $"Connecting to {_pool.Host}:{_pool.Port} timed out.", ex)
                : AsHttpError(ex));
        }
    }

    /// <summary>Writes everything queued, in as few writes as there are moments when something is queued.</summary>
    private async Task WriteAsync()
    {
        try
        {
            while (true)
            {
                // Let the callers already queued on the thread pool add their requests first: one write for all of them.
                await Task.Yield();
                lock (_lock)
                {
                    if (_outbox.Count == 0 || _closed)
                    {
                        _writing = false;
                        return;
                    }

                    (_outbox, _sending) = (_sending, _outbox);
                }

                var length = 0;
                foreach (var exchange in _sending)
                {
                    if (_writeBuffer.Length < length + exchange.Bytes.Length)
                    {
                        Array.Resize(ref _writeBuffer, Math.Max(length + exchange.Bytes.Length, _writeBuffer.Length * 2));
                    }

                    exchange.Bytes.CopyTo(_writeBuffer, length);
                    length += exchange.Bytes.Length;
                }

                _sending.Clear();
                for (var sent = 0; sent < length;)
                {
                    sent += await _socket.SendAsync(_writeBuffer.AsMemory(sent, length - sent), SocketFlags.None).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex)
        {
            Abort(AsHttpError(ex));
        }
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[InitialReadBuffer];
        var filled = 0;
        while (true)
        {
            if (filled == buffer.Length)
            {
                if (buffer.Length >= HttpResponseParser.MaxHeaderBytes + HttpResponseParser.MaxBodyBytes)
                {
                    throw new HttpRequestException(HttpRequestError.InvalidResponse, "The cache sent a response larger than the purge client accepts.");
                }

                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var received = await _socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None).ConfigureAwait(false);
            var atEnd = received == 0;
            filled += received;
            var position = 0;
            while (true)
            {
                PipelinedExchange? next;
                lock (_lock)
                {
                    if (_closed)
                    {
                        return;
                    }

                    _awaiting.TryPeek(out next);
                }

                if (next is null)
                {
                    if (filled > position)
                    {
                        throw new HttpRequestException(HttpRequestError.InvalidResponse, "The cache sent bytes no request asked for.");
                    }

                    break;
                }

                var parsed = HttpResponseParser.TryParse(buffer.AsSpan(position, filled - position), next.IsHead, atEnd, out var consumed);
                if (parsed is null)
                {
                    break;
                }

                position += consumed;
                lock (_lock)
                {
                    _awaiting.Dequeue();
                }

                Interlocked.Decrement(ref _load);
                next.Complete(parsed);
                if (parsed.CloseConnection)
                {
                    Abort(new HttpRequestException(HttpRequestError.ConnectionError, "The cache closed the connection after an answer."));
                    return;
                }
            }

            if (atEnd)
            {
                Abort(new HttpRequestException(HttpRequestError.ConnectionError, "The cache closed the connection."));
                return;
            }

            buffer.AsSpan(position, filled - position).CopyTo(buffer);
            filled -= position;
        }
    }

    private static HttpRequestException AsHttpError(Exception ex) => ex as HttpRequestException
        ?? new HttpRequestException(HttpRequestError.ConnectionError, ex.Message, ex);
}
