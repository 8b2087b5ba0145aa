using System.Net;
using System.Net.Sockets;

namespace CachePurge.Testing;

/// <summary>
/// Hands out free loopback TCP ports for servers that must keep the same port across restarts.
/// Ports come from 20000-32767, below Linux's ephemeral range (32768-60999), so outgoing
/// connections of the test run never grab a port a stopped cache server wants back.
/// A port is never handed out twice in one test run.
/// </summary>
public static class FreePort
{
    private const int FirstPort = 20000;
    private const int LastPort = 32767;

    private static readonly HashSet<int> _handedOut = [];
    private static readonly Lock _gate = new();

    public static int Next()
    {
        lock (_gate)
        {
            for (var attempt = 0; attempt < 500; attempt++)
            {
                var port = Random.Shared.Next(FirstPort, LastPort + 1);
                if (_handedOut.Contains(port) || !IsFree(port))
                {
                    continue;
                }

                _handedOut.Add(port);
                return port;
            }
        }

        throw new InvalidOperationException($"No free loopback TCP port found in {FirstPort}-{LastPort}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Server.ExclusiveAddressUse = true;
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
