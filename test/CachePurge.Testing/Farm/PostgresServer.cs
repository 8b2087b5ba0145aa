using System.Diagnostics;
using System.Globalization;

namespace CachePurge.Testing.Farm;

/// <summary>
/// A throwaway PostgreSQL cluster from Debian's <c>postgresql</c> (install it with <c>.ci/install-farm</c>): initialised in a
/// temporary folder with trust authentication, run by the <c>postgres</c> user (PostgreSQL refuses root, and CI runs as root)
/// on a free loopback port, deleted on dispose.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly ServerProcess _process;
    private readonly string _directory;

    private PostgresServer(ServerProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = FindBinDirectory();
        var directory = Directory.CreateTempSubdirectory("cachepurge-postgres-").FullName;
        var data = Path.Combine(directory, "data");
        if (Environment.UserName == "root")
        {
            await RunAsync("chown", "postgres", directory);
        }

        await RunAsPostgresAsync(Path.Combine(bin, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync");

        var port = FreePort.Next();
        var process = await ServerProcess.StartAsync(
            Path.Combine(bin, "postgres"),
            ["-D", data, "-p", port.ToString(CultureInfo.InvariantCulture), "-k", directory, "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"],
            port,
            user: "postgres");
        return new PostgresServer(process, directory, port);
    }

    /// <summary>Creates the database <paramref name="name"/> and returns the Npgsql connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await RunAsync(Path.Combine(FindBinDirectory(), "createdb"), "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", name);
        return $"Host=127.0.0.1;Port={Port};Database={name};Username=postgres";
    }

    /// <summary>Runs <paramref name="sql"/> on <paramref name="database"/> with psql and returns its unaligned output.</summary>
    public Task<string> QueryAsync(string database, string sql) =>
        RunAsync(Path.Combine(FindBinDirectory(), "psql"), "-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-d", database, "-At", "-c", sql);

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // best effort: the server may still be releasing files
        }
    }

    private static string FindBinDirectory()
    {
        var root = "/usr/lib/postgresql";
        var bin = Directory.Exists(root)
            ? Directory.GetDirectories(root).Select(v => Path.Combine(v, "bin")).Where(b => File.Exists(Path.Combine(b, "postgres"))).Order().LastOrDefault()
            : null;
        return bin ?? throw new InvalidOperationException("PostgreSQL not found under /usr/lib/postgresql: run .ci/install-farm");
    }

    private static Task<string> RunAsPostgresAsync(string fileName, params string[] arguments) =>
        Environment.UserName == "root" ? RunAsync("runuser", ["-u", "postgres", "--", fileName, .. arguments]) : RunAsync(fileName, arguments);

    private static async Task<string> RunAsync(string fileName, params string[] arguments)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{fileName} {string.Join(' ', arguments)} exited with {process.ExitCode}:\n{await output}{await error}");
        }

        return (await output).Trim();
    }
}
