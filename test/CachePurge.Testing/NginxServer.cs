namespace CachePurge.Testing;

/// <summary>
/// nginx 1.22 with the ngx_cache_purge module (Debian libnginx-mod-http-cache-purge 2.3) and
/// <c>Caches/nginx.conf</c>: <c>proxy_cache</c> on disk under the work dir, purge through
/// <c>GET /purge/&lt;path&gt;</c>. The master runs as root (foreground, <c>daemon off</c>), workers as
/// <c>www-data</c>. The on-disk cache survives <see cref="CacheServer.StopAsync"/> / restart.
/// </summary>
public sealed class NginxServer : CacheServer
{
    private static readonly string[] _purgeModuleCandidates =
    [
        "/usr/lib/nginx/modules/ngx_http_cache_purge_module.so",
        "/usr/share/nginx/modules/ngx_http_cache_purge_module.so",
        "/usr/lib64/nginx/modules/ngx_http_cache_purge_module.so",
    ];

    private readonly string _template;

    /// <param name="template">The config in <c>Caches/</c>; <c>nginx-policy.conf</c> sets no lifetimes and leaves them to the origin's headers.</param>
    public NginxServer(int originPort, string template = "nginx.conf")
        : base("nginx", "nginx", originPort)
    {
        _template = template;
        PurgeModulePath = FindFirstExisting(_purgeModuleCandidates)
            ?? throw new InvalidOperationException(
                "ngx_http_cache_purge_module.so not found (libnginx-mod-http-cache-purge): run .ci/install-caches");
    }

    public string PurgeModulePath { get; }

    protected override string TemplateName => _template;

    protected override string ConfigFileName => "nginx.conf";

    protected override IReadOnlyList<string> BuildArguments(string configPath) =>
        ["-c", configPath, "-p", WorkDir + "/", "-e", "stderr"];

    protected override IEnumerable<KeyValuePair<string, string>> ExtraPlaceholders() =>
        [new("PURGE_MODULE", PurgeModulePath)];

    protected override IEnumerable<string> DiagnosticFiles() => [Path.Combine(WorkDir, "logs", "error.log")];

    protected override void PrepareWorkDir()
    {
        foreach (var folder in new[] { "logs", "tmp", "cache" })
        {
            var path = Path.Combine(WorkDir, folder);
            Directory.CreateDirectory(path);
            MakeWorldWritable(path);
        }
    }

    public static Task<NginxServer> StartAsync(TestOrigin origin) => StartNewAsync(new NginxServer(origin.Port));

    /// <summary>Starts nginx in front of any origin on this machine, e.g. an Orchard Core site.</summary>
    public static Task<NginxServer> StartAsync(int originPort, string template = "nginx.conf") => StartNewAsync(new NginxServer(originPort, template));
}
