namespace CachePurge.Testing;

/// <summary>
/// Squid 5 in accelerator (reverse proxy) mode with <c>Caches/squid.conf</c>: memory cache only,
/// PURGE allowed from localhost. Started as root it runs as user <c>proxy</c>.
/// Runs in the foreground (<c>-N</c>) under a per-instance service name (<c>-n</c>) so parallel
/// instances do not share the <c>/dev/shm</c> segments.
/// </summary>
public sealed class SquidServer : CacheServer
{
    public SquidServer(int originPort)
        : base("squid", "squid", originPort)
    {
    }

    private string ServiceName => $"cachepurge{Port}";

    protected override string TemplateName => "squid.conf";

    protected override string ConfigFileName => "squid.conf";

    protected override IReadOnlyList<string> BuildArguments(string configPath) =>
        ["-N", "-d", "1", "-f", configPath, "-n", ServiceName];

    protected override IEnumerable<string> DiagnosticFiles() => [Path.Combine(WorkDir, "cache.log")];

    protected override void PrepareWorkDir() => RemoveSharedMemory();

    protected override void AfterStop() => RemoveSharedMemory();

    private void RemoveSharedMemory()
    {
        // A killed squid leaves /dev/shm/<service>-*.shm behind (a SIGTERM-ed one removes them).
        if (!Directory.Exists("/dev/shm"))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles("/dev/shm", ServiceName + "-*"))
        {
            try
            {
                File.Delete(file);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    public static Task<SquidServer> StartAsync(TestOrigin origin) => StartNewAsync(new SquidServer(origin.Port));
}
