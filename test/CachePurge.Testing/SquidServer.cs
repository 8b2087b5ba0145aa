namespace CachePurge.Testing;

/// <summary>
/// Squid 5 in accelerator (reverse proxy) mode with <c>Caches/squid.conf</c>: memory cache only,
/// PURGE allowed from localhost. Started as root it runs as user <c>proxy</c>.
/// Runs in the foreground (<c>-N</c>) under a per-instance service name (<c>-n</c>) so parallel
/// instances do not share the <c>/dev/shm</c> segments.
/// </summary>
public sealed class SquidServer : CacheServer
{
    private readonly string _template;

    /// <param name="template">The config in <c>Caches/</c>; <c>squid-policy.conf</c> sets no lifetimes and leaves them to the origin's headers.</param>
    public SquidServer(int originPort, string template = "squid.conf")
        : base("squid", "squid", originPort)
    {
        _template = template;
    }

    private string ServiceName => $"cachepurge{Port}";

    protected override string TemplateName => _template;

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

    /// <summary>Starts Squid in front of any origin on this machine, e.g. an Orchard Core site.</summary>
    public static Task<SquidServer> StartAsync(int originPort, string template = "squid.conf") => StartNewAsync(new SquidServer(originPort, template));
}
