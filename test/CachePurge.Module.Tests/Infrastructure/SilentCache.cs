using System.Net;
using System.Net.Sockets;
using CachePurge.Testing;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>A "cache" on loopback that accepts connections and never answers: the slowest cache there is.</summary>
public sealed class SilentCache : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _connections;

    public SilentCache()
    {
        Port = FreePort.Next();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>How many connections were opened to it: more than none means a purge was on its way.</summary>
    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        lock (_accepted)
        {
            _accepted.ForEach(s => s.Dispose());
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptSocketAsync(_stop.Token);
            Interlocked.Increment(ref _connections);
            lock (_accepted)
            {
                _accepted.Add(socket);
            }
        }
    }
}
