using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace CachePurge.Testing.Farm;

/// <summary>
/// A database or message server of the web farm tests (postgres, redis-server), run in the foreground on a loopback
/// port so that the test owns it: it dies with <see cref="StopAsync"/>, and its output explains a failed start.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(30);

    private readonly StringBuilder _output = new();
    private readonly Lock _outputGate = new();
    private readonly Process _process;

    private ServerProcess(Process process) => _process = process;

    public string Output
    {
        get
        {
            lock (_outputGate)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/> as <paramref name="user"/> (when the tests run as root,
    /// as CI does, and the server refuses root) and waits until <paramref name="port"/> accepts connections.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(string fileName, IEnumerable<string> arguments, int port, string? user = null)
    {
        var info = new ProcessStartInfo(user is not null && Environment.UserName == "root" ? "runuser" : fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (info.FileName == "runuser")
        {
            foreach (var argument in new[] { "-u", user!, "--", fileName })
            {
                info.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + _startTimeout;
        while (!await AcceptsAsync(port))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await server.DisposeAsync();
                throw new InvalidOperationException($"{fileName} did not start on port {port}:\n{server.Output}");
            }

            await Task.Delay(50);
        }

        return server;
    }

    /// <summary>Kills the server at once (SIGKILL of the whole tree) and waits for it to be gone.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputGate)
        {
            _output.AppendLine(line);
        }
    }
}
