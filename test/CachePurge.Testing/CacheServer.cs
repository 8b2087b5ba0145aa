using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CachePurge.Testing;

/// <summary>
/// A real cache server process (varnishd, squid, nginx) on 127.0.0.1, configured from a template in
/// the test output's <c>Caches/</c> folder, in front of an origin on a loopback port (a <see cref="TestOrigin"/> or a real site).
/// The port is chosen once, so <see cref="StopAsync"/> then <see cref="StartAsync"/> brings the same
/// cache back on the same address ("cache down, then back up").
/// A missing binary fails loudly: run <c>.ci/install-caches</c>.
/// </summary>
public abstract class CacheServer : IAsyncDisposable
{
    private static readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan _stopTimeout = TimeSpan.FromSeconds(10);
    private const int MaxCapturedChars = 64 * 1024;

    private readonly StringBuilder _output = new();
    private readonly Lock _outputGate = new();
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private Process? _process;
    private bool _disposed;

    protected CacheServer(string name, string executableName, int originPort)
    {
        Name = name;
        OriginPort = originPort;
        ExecutablePath = FindExecutable(executableName)
            ?? throw new InvalidOperationException(
                $"{executableName} not found (looked in PATH, /usr/sbin, /usr/local/sbin, /sbin): run .ci/install-caches");
        Port = FreePort.Next();
        WorkDir = Directory.CreateTempSubdirectory($"cachepurge-{name}-").FullName;
        // The daemons drop privileges (varnish/vcache, proxy, www-data) and must reach their files.
        MakeWorldWritable(WorkDir);
    }

    /// <summary>Short kind name: varnish, squid, nginx.</summary>
    public string Name { get; }

    public int Port { get; }

    /// <summary><c>http://127.0.0.1:{Port}/</c>.</summary>
    public Uri BaseUrl => new($"http://127.0.0.1:{Port}/");

    /// <summary>The loopback port of the origin the cache fetches from.</summary>
    public int OriginPort { get; }

    public string ExecutablePath { get; }

    /// <summary>Temp folder with the rendered config, pid file and logs.</summary>
    public string WorkDir { get; }

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Captured stdout/stderr of the process (all starts), for diagnostics.</summary>
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

    /// <summary>Template file name inside the <c>Caches/</c> folder of the test output.</summary>
    protected abstract string TemplateName { get; }

    /// <summary>Rendered config file name inside <see cref="WorkDir"/>.</summary>
    protected abstract string ConfigFileName { get; }

    protected string ConfigPath => Path.Combine(WorkDir, ConfigFileName);

    /// <summary>Command line of the server, given the rendered config path.</summary>
    protected abstract IReadOnlyList<string> BuildArguments(string configPath);

    /// <summary>Extra placeholder values on top of PORT, ORIGIN_HOST, ORIGIN_PORT, WORKDIR, NAME.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> ExtraPlaceholders() => [];

    /// <summary>Log files whose tail goes into start-failure messages.</summary>
    protected virtual IEnumerable<string> DiagnosticFiles() => [];

    /// <summary>Called before each start, after the config is written (create sub folders etc.).</summary>
    protected virtual void PrepareWorkDir()
    {
    }

    /// <summary>Called after the process stopped (clean up shared memory etc.).</summary>
    protected virtual void AfterStop()
    {
    }

    /// <summary>Starts <paramref name="server"/>, disposing it if it does not come up.</summary>
    protected static async Task<T> StartNewAsync<T>(T server)
        where T : CacheServer
    {
        try
        {
            await server.StartAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (IsRunning)
            {
                return;
            }

            WriteConfig();
            PrepareWorkDir();
            AppendOutput($"---- starting {ExecutablePath} {string.Join(' ', BuildArguments(ConfigPath))}");

            var process = new Process
            {
                StartInfo = CreateStartInfo(),
                EnableRaisingEvents = true,
            };
            process.OutputDataReceived += (_, e) => AppendOutput(e.Data);
            process.ErrorDataReceived += (_, e) => AppendOutput(e.Data);
            if (!process.Start())
            {
                throw new InvalidOperationException($"{Name}: could not start {ExecutablePath}.");
            }

            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _process = process;

            try
            {
                await WaitUntilReadyAsync(process, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await StopProcessAsync().ConfigureAwait(false);
                throw;
            }
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops the server (SIGTERM, then kill of the whole process tree) and waits for it.</summary>
    public async Task StopAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            await StopProcessAsync().ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await StopAsync().ConfigureAwait(false);
        _disposed = true;
        try
        {
            Directory.Delete(WorkDir, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a daemon may still be releasing files
        }
        catch (UnauthorizedAccessException)
        {
        }

        GC.SuppressFinalize(this);
    }

    public override string ToString() => $"{Name} on {BaseUrl}";

    private ProcessStartInfo CreateStartInfo()
    {
        var info = new ProcessStartInfo(ExecutablePath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            WorkingDirectory = WorkDir,
        };
        foreach (var argument in BuildArguments(ConfigPath))
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }

    private void WriteConfig()
    {
        var templatePath = Path.Combine(AppContext.BaseDirectory, "Caches", TemplateName);
        if (!File.Exists(templatePath))
        {
            throw new InvalidOperationException($"{Name}: config template {templatePath} missing from the test output.");
        }

        var text = File.ReadAllText(templatePath);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["ORIGIN_HOST"] = "127.0.0.1",
            ["ORIGIN_PORT"] = OriginPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["WORKDIR"] = WorkDir,
            ["NAME"] = $"{Name}-{Port}",
        };
        foreach (var (key, value) in ExtraPlaceholders())
        {
            values[key] = value;
        }

        foreach (var (key, value) in values)
        {
            text = text.Replace("{{" + key + "}}", value, StringComparison.Ordinal);
        }

        var leftover = text.IndexOf("{{", StringComparison.Ordinal);
        if (leftover >= 0)
        {
            var end = text.IndexOf("}}", leftover, StringComparison.Ordinal);
            var placeholder = end > leftover ? text[leftover..(end + 2)] : text[leftover..];
            throw new InvalidOperationException($"{Name}: unreplaced placeholder {placeholder} in {TemplateName}.");
        }

        File.WriteAllText(ConfigPath, text);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(ConfigPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    private async Task WaitUntilReadyAsync(Process process, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        using var handler = new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false };
        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        string lastProblem = "port not accepting connections yet";

        while (stopwatch.Elapsed < _startTimeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                // Let the async readers drain before reporting.
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"{Name} exited with code {process.ExitCode} while starting on port {Port}.{Environment.NewLine}{Diagnostics()}");
            }

            if (await AcceptsTcpAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseUrl, "/__cachepurge-ready"));
                    // Any HTTP answer means the cache is serving; what the origin says of this path is its own business.
                    using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (HttpRequestException ex)
                {
                    lastProblem = $"readiness GET failed: {ex.Message}";
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    lastProblem = "readiness GET timed out";
                }
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException(
            $"{Name} did not become ready on port {Port} within {_startTimeout.TotalSeconds:0} s ({lastProblem}).{Environment.NewLine}{Diagnostics()}");
    }

    private async Task<bool> AcceptsTcpAsync(CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, Port, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task StopProcessAsync()
    {
        var process = _process;
        _process = null;
        if (process is null)
        {
            return;
        }

        try
        {
            if (!process.HasExited)
            {
                await SendSigtermAsync(process.Id).ConfigureAwait(false);
                using var graceful = new CancellationTokenSource(_stopTimeout);
                try
                {
                    await process.WaitForExitAsync(graceful.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    AppendOutput($"---- {Name} ignored SIGTERM for {_stopTimeout.TotalSeconds:0} s, killing the process tree");
                }
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().ConfigureAwait(false);
            }

            AppendOutput($"---- {Name} stopped (exit code {process.ExitCode})");

            // Children (varnish cache process, nginx workers) exit with their parent; wait until
            // the port is closed so a restart on the same port cannot race them.
            var closing = Stopwatch.StartNew();
            while (closing.Elapsed < _stopTimeout && await AcceptsTcpAsync(CancellationToken.None).ConfigureAwait(false))
            {
                await Task.Delay(100).ConfigureAwait(false);
            }
        }
        finally
        {
            process.Dispose();
            AfterStop();
        }
    }

    private static async Task SendSigtermAsync(int pid)
    {
        var info = new ProcessStartInfo("kill")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add("-TERM");
        info.ArgumentList.Add(pid.ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            using var kill = Process.Start(info);
            if (kill is not null)
            {
                await kill.WaitForExitAsync().ConfigureAwait(false);
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // no kill(1): the caller falls back to Process.Kill after the timeout
        }
    }

    private string Diagnostics()
    {
        var text = new StringBuilder();
        text.AppendLine($"---- {Name} command: {ExecutablePath} {string.Join(' ', BuildArguments(ConfigPath))}");
        text.AppendLine("---- process output:");
        text.AppendLine(Tail(Output, 8000));
        foreach (var file in DiagnosticFiles())
        {
            if (File.Exists(file))
            {
                text.AppendLine($"---- {file}:");
                text.AppendLine(Tail(File.ReadAllText(file), 4000));
            }
        }

        return text.ToString();
    }

    private static string Tail(string text, int maxChars) =>
        text.Length <= maxChars ? text : "..." + text[^maxChars..];

    private void AppendOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputGate)
        {
            if (_output.Length > MaxCapturedChars)
            {
                _output.Remove(0, _output.Length - (MaxCapturedChars / 2));
            }

            _output.AppendLine(line);
        }
    }

    protected static void MakeWorldWritable(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute);
    }

    protected static string? FindFirstExisting(params string[] candidates) =>
        candidates.FirstOrDefault(File.Exists);

    private static string? FindExecutable(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var folders = path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin", "/usr/local/bin"]);
        return folders.Select(folder => Path.Combine(folder, name)).FirstOrDefault(File.Exists);
    }
}
