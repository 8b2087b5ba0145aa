using System.Diagnostics;
using System.Text;
using CachePurge.Testing;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>
/// One node of a web farm: a process of the sample site (the build in the test output) on its own loopback port and
/// content root, with the database and Redis the farm's configuration names. It can be killed as a crashing node is.
/// </summary>
public sealed class FarmNode : IAsyncDisposable
{
    private static readonly TimeSpan _startTimeout = TimeSpan.FromSeconds(120);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputGate = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FarmNode(string name, Process process, Uri baseUrl, string contentRoot)
    {
        Name = name;
        _process = process;
        BaseUrl = baseUrl;
        ContentRoot = contentRoot;
    }

    public string Name { get; }

    public Uri BaseUrl { get; }

    /// <summary>The node's own folder: <c>App_Data</c> with its tenant settings (shared by copy, as a farm's configuration is).</summary>
    public string ContentRoot { get; }

    public bool IsRunning => !_process.HasExited;

    /// <summary>The node's process id, which its operations page and the other nodes' show.</summary>
    public int ProcessId => _process.Id;

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
    /// Starts a node with <paramref name="configuration"/> as environment variables (Orchard's <c>OrchardCore__…</c> keys);
    /// the first node sets the site up, the next ones find it set up through the tenant settings copied from <paramref name="setUpNode"/>.
    /// It listens on <paramref name="port"/>, or a free port when 0.
    /// </summary>
    public static async Task<FarmNode> StartAsync(string name, IReadOnlyDictionary<string, string> configuration, FarmNode setUpNode = null, int port = 0)
    {
        var contentRoot = Directory.CreateTempSubdirectory($"cachepurge-farm-{name}-").FullName;
        if (setUpNode is not null)
        {
            CopyTenantSettings(setUpNode.ContentRoot, contentRoot);
        }

        var baseUrl = new Uri($"http://127.0.0.1:{(port == 0 ? FreePort.Next() : port)}/");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = contentRoot,
        };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "CachePurge.SampleSite.dll"), "--urls", baseUrl.ToString().TrimEnd('/'), "--contentRoot", contentRoot })
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["Sample__AdminPassword"] = OrchardSite.AdminPassword;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in configuration)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var node = new FarmNode(name, process, baseUrl, contentRoot);
        process.OutputDataReceived += (_, e) => node.Append(e.Data);
        process.ErrorDataReceived += (_, e) => node.Append(e.Data);
        process.Exited += (_, _) => node._ready.TrySetException(new InvalidOperationException($"Node {name} exited:\n{node.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await node._ready.Task.WaitAsync(_startTimeout);
        }
        catch (TimeoutException)
        {
            await node.DisposeAsync();
            throw new TimeoutException($"Node {name} was not ready in {_startTimeout.TotalSeconds} s:\n{node.Output}");
        }

        return node;
    }

    /// <summary>Gets the home page once, directly, so that the node has compiled what its pages need.</summary>
    public async Task WarmUpAsync()
    {
        using var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(120) };
        using var response = await client.GetAsync("/");
        Assert.True(response.IsSuccessStatusCode, $"{this} answered {(int)response.StatusCode} to its first GET.");
    }

    /// <summary>Kills the node with SIGKILL, as the kernel's OOM killer or a lost container does: nothing of it runs on.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(ContentRoot, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public override string ToString() => $"node {Name} on {BaseUrl}";

    private static void CopyTenantSettings(string from, string to)
    {
        foreach (var file in new[] { "tenants.json", Path.Combine("Sites", "Default", "appsettings.json") })
        {
            var target = Path.Combine(to, "App_Data", file);
            Directory.CreateDirectory(Path.GetDirectoryName(target));
            File.Copy(Path.Combine(from, "App_Data", file), target);
        }
    }

    private void Append(string line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputGate)
        {
            _output.AppendLine(line);
        }

        // Program.cs logs this once the site is set up and serving.
        if (line.Contains("Sample site ready", StringComparison.Ordinal))
        {
            _ready.TrySetResult();
        }
    }
}
