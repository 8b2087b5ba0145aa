using System.Net;
using System.Net.Sockets;

namespace CachePurge.Testing;

/// <summary>
/// A TCP relay on a loopback port in front of an origin (e.g. an Orchard Core site), which a test can take down and
/// bring back on the same port: while it is stopped, the port refuses connections and the connections it relayed are
/// closed, as when the origin's machine is unreachable.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly int _targetPort;
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _connections = [];
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
            await Task.WhenAny(clientStream.CopyToAsync(targetStream, stopping), targetStream.CopyToAsync(clientStream, stopping)).ConfigureAwait(false);
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
