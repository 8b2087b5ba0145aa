using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>
/// An HTTP/1.1 server on a bare socket, for what Kestrel will not do on demand: an answer no request asked for, or
/// one slow answer among fast ones. It answers the requests of a connection in order, as <see cref="Answer"/> says
/// (200 by default), and records every request and the status it was answered with.
/// </summary>
public sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentBag<Socket> _sockets = [];
    private readonly ConcurrentQueue<RawRequest> _received = new();
    private readonly ConcurrentQueue<RawExchange> _exchanges = new();
    private readonly Task _accepting;
    private int _connections;
    private int _requests;

    public RawHttpServer()
    {
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    /// <summary>How to answer each request; called once per request, in the order requests arrive on a connection.</summary>
    public Func<RawRequest, RawAnswer> Answer { get; set; } = _ => RawAnswer.Ok;

    public Uri BaseUrl { get; }

    public int Connections => Volatile.Read(ref _connections);

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Every request received so far, answered or not, in the order they arrived.</summary>
    public IReadOnlyList<RawRequest> ReceivedRequests => [.. _received];

    /// <summary>Every request answered so far with the status of its own answer (not counting any stray answer after it).</summary>
    public IReadOnlyList<RawExchange> Exchanges => [.. _exchanges];

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        await _accepting;
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }

            var connection = Interlocked.Increment(ref _connections);
            _sockets.Add(socket);
            _ = ServeAsync(socket, connection);
        }
    }

    private async Task ServeAsync(Socket socket, int connection)
    {
        var pending = "";
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                int end;
                while ((end = pending.IndexOf("\r\n\r\n", StringComparison.Ordinal)) < 0)
                {
                    var received = await socket.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
                    if (received == 0)
                    {
                        return;
                    }

                    pending += Encoding.Latin1.GetString(buffer, 0, received);
                }

                var lines = pending[..end].Split("\r\n");
                pending = pending[(end + 4)..];
                var requestLine = lines[0].Split(' ');
                var request = new RawRequest(Interlocked.Increment(ref _requests), connection, requestLine[0], requestLine[1], lines[1..]);
                _received.Enqueue(request);
                var answer = Answer(request);
                if (answer.Delay > TimeSpan.Zero)
                {
                    await Task.Delay(answer.Delay, _stopping.Token);
                }

                _exchanges.Enqueue(new RawExchange(request, answer.Status));

                // The stray answer goes out in the same write, so it is there as soon as the answer is.
                var output = Format(answer, request.Path);
                if (answer.Stray is { } stray)
                {
                    output += Format(stray, "stray");
                }

                await socket.SendAsync(Encoding.ASCII.GetBytes(output), SocketFlags.None);
            }
        }
        catch (Exception) when (_stopping.IsCancellationRequested)
        {
        }
        catch (SocketException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }

    private static string Format(RawAnswer answer, string body) =>
        $"HTTP/1.1 {answer.Status} {(answer.Status < 300 ? "OK" : "Not OK")}\r\nContent-Length: {body.Length}\r\n\r\n{body}";
}
