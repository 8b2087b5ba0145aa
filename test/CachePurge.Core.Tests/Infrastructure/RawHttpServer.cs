using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>
/// An HTTP/1.1 server on a bare socket, for what Kestrel will not do on demand: it shows how many
/// requests arrived in one read (pipelining), and can end a connection after a given answer, or
/// never answer. Each request is answered 200 with the request's path as the body, unless
/// <see cref="Answer"/> says otherwise.
/// </summary>
public sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentBag<Socket> _sockets = [];
    private readonly Task _accepting;
    private int _connections;
    private int _requests;
    private int _mostRequestsInOneRead;

    public RawHttpServer()
    {
        _listener.Start();
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    /// <summary>What to do with the n-th request (1-based, over all connections) for a path.</summary>
    public Func<int, string, RawAnswer> Answer { get; set; } = (_, _) => RawAnswer.Ok;

    public Uri BaseUrl { get; }

    public int Connections => Volatile.Read(ref _connections);

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The largest number of whole requests that came in one read: above 1 only if the client pipelines.</summary>
    public int MostRequestsInOneRead => Volatile.Read(ref _mostRequestsInOneRead);

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

            Interlocked.Increment(ref _connections);
            _sockets.Add(socket);
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        var pending = new StringBuilder();
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token);
                if (received == 0)
                {
                    return;
                }

                pending.Append(Encoding.ASCII.GetString(buffer, 0, received));
                var text = pending.ToString();
                var requests = new List<string>();
                int end;
                while ((end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal)) >= 0)
                {
                    requests.Add(text[..end]);
                    text = text[(end + 4)..];
                }

                pending.Clear().Append(text);
                InterlockedMax(ref _mostRequestsInOneRead, requests.Count);
                var output = new StringBuilder();
                foreach (var request in requests)
                {
                    var path = request.Split(' ')[1];
                    var answer = Answer(Interlocked.Increment(ref _requests), path);
                    if (answer == RawAnswer.Never)
                    {
                        await socket.SendAsync(Encoding.ASCII.GetBytes(output.ToString()), SocketFlags.None);
                        await Task.Delay(Timeout.Infinite, _stopping.Token);
                    }

                    var close = answer == RawAnswer.OkThenClose;
                    output.Append($"HTTP/1.1 200 OK\r\nContent-Length: {path.Length}\r\n{(close ? "Connection: close\r\n" : "")}\r\n{path}");
                    if (close || answer == RawAnswer.CloseWithoutAnswer)
                    {
                        if (close)
                        {
                            await socket.SendAsync(Encoding.ASCII.GetBytes(output.ToString()), SocketFlags.None);
                        }

                        socket.Shutdown(SocketShutdown.Both);
                        return;
                    }
                }

                await socket.SendAsync(Encoding.ASCII.GetBytes(output.ToString()), SocketFlags.None);
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

    private static void InterlockedMax(ref int location, int value)
    {
        var current = Volatile.Read(ref location);
        while (value > current && Interlocked.CompareExchange(ref location, value, current) != current)
        {
            current = Volatile.Read(ref location);
        }
    }
}
