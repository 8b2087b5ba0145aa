using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace CachePurge.Testing;

/// <summary>
/// A TCP relay on a loopback port in front of an origin (e.g. an Orchard Core site), which a test can take down and
/// bring back on the same port: while it is stopped, the port refuses connections and the connections it relayed are
/// closed, as when the origin's machine is unreachable. It also counts the HTTP requests it passes on, by path, and can
/// hold those for one path (a slow page).
/// </summary>
public sealed partial class TcpRelay : IAsyncDisposable
{
    private readonly int _targetPort;
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _connections = [];
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private (string Path, TimeSpan Delay)? _slow;
    private TcpListener? _listener;
    private CancellationTokenSource? _stopping;
    private Task? _accepting;

    private TcpRelay(int targetPort)
    {
        _targetPort = targetPort;
        Port = FreePort.Next();
    }

    public int Port { get; }

    public bool IsRunning => _listener is not null;

    /// <summary>How many requests for <paramref name="path"/> (and query) the relay has passed on to the origin.</summary>
    public int RequestCount(string path) => _requests.TryGetValue(path, out var count) ? count : 0;

    /// <summary>From now on, holds every request for <paramref name="path"/> for <paramref name="delay"/> before passing it on.</summary>
    public void Slow(string path, TimeSpan delay) => _slow = (path, delay);

    public static TcpRelay Start(int targetPort)
    {
        var relay = new TcpRelay(targetPort);
        relay.Start();
        return relay;
    }

    public void Start()
    {
        if (_listener is not null)
        {
            return;
        }

        _stopping = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _accepting = AcceptAsync(_listener, _stopping.Token);
    }

    /// <summary>Stops listening and closes every relayed connection.</summary>
    public async Task StopAsync()
    {
        if (_listener is null)
        {
            return;
        }

        await _stopping!.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        _listener = null;
        lock (_gate)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }

            _connections.Clear();
        }

        try
        {
            await _accepting!.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stopping.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    private async Task AcceptAsync(TcpListener listener, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(client, stopping);
        }
    }

    /// <summary>
    /// Passes the client's bytes on, counting the request lines in them. A cache sends a request's head in one write and
    /// waits for its answer before the next, so a request line is not split between reads.
    /// </summary>
    private async Task ForwardRequestsAsync(NetworkStream from, NetworkStream to, CancellationToken stopping)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, stopping).ConfigureAwait(false)) > 0)
        {
            var slow = false;
            foreach (Match line in RequestLine().Matches(Encoding.Latin1.GetString(buffer, 0, read)))
            {
                var path = line.Groups["path"].Value;
                _requests.AddOrUpdate(path, 1, (_, count) => count + 1);
                slow |= _slow is { } rule && rule.Path == path;
            }

            if (slow && _slow is { } held)
            {
                await Task.Delay(held.Delay, stopping).ConfigureAwait(false);
            }

            await to.WriteAsync(buffer.AsMemory(0, read), stopping).ConfigureAwait(false);
        }
    }

    [GeneratedRegex(@"(?m)^[A-Z]+ (?<path>\S+) HTTP/1\.[01]\r$")]
    private static partial Regex RequestLine();

    private async Task RelayAsync(TcpClient client, CancellationToken stopping)
    {
        var target = new TcpClient();
        lock (_gate)
        {
            _connections.Add(client);
            _connections.Add(target);
        }

        try
        {
            await target.ConnectAsync(IPAddress.Loopback, _targetPort, stopping).ConfigureAwait(false);
            var clientStream = client.GetStream();
            var targetStream = target.GetStream();

            // Either side closing ends both.
            await Task.WhenAny(ForwardRequestsAsync(clientStream, targetStream, stopping), targetStream.CopyToAsync(clientStream, stopping)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            lock (_gate)
            {
                _connections.Remove(client);
                _connections.Remove(target);
            }

            client.Dispose();
            target.Dispose();
        }
    }
}
