namespace CachePurge.Testing;

/// <summary>
/// varnishd (Debian varnish 7.1 + varnish-modules xkey) with <c>Caches/varnish.vcl</c>, malloc storage,
/// no management port. As root, the manager runs as user <c>varnish</c> and the cache child as <c>vcache</c>.
/// </summary>
public sealed class VarnishServer : CacheServer
{
    private readonly string _template;
    private readonly bool _http2;

    /// <param name="template">The VCL in <c>Caches/</c>; <c>varnish-ignores-purge.vcl</c> plays a cache whose purges do nothing.</param>
    /// <param name="http2">Also speak HTTP/2 (<c>-p feature=+http2</c>): cleartext with prior knowledge, beside HTTP/1.1 on the same port.</param>
    public VarnishServer(int originPort, string template = "varnish.vcl", bool http2 = false)
        : base("varnish", "varnishd", originPort)
    {
        _template = template;
        _http2 = http2;
    }

    protected override string TemplateName => _template;

    protected override string ConfigFileName => "default.vcl";

    protected override IReadOnlyList<string> BuildArguments(string configPath) =>
    [
        "-F",
        "-n", Path.Combine(WorkDir, "varnishd"),
        "-a", $"127.0.0.1:{Port}",
        "-f", configPath,
        "-s", "malloc,64m",
        "-T", "none",
        "-p", "vsl_space=4M",
        "-p", "thread_pools=1",
        "-p", "thread_pool_min=10",
        "-p", "thread_pool_max=200",
        .. (_http2 ? (string[])["-p", "feature=+http2"] : []),
    ];

    public static Task<VarnishServer> StartAsync(TestOrigin origin, string template = "varnish.vcl", bool http2 = false) => StartAsync(origin.Port, template, http2);

    /// <summary>Starts Varnish in front of any origin on this machine, e.g. an Orchard Core site.</summary>
    public static Task<VarnishServer> StartAsync(int originPort, string template = "varnish.vcl", bool http2 = false) => StartNewAsync(new VarnishServer(originPort, template, http2));
}
