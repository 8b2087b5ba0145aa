using CachePurge.Testing;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>
/// The shared Varnish fixture's VCL and command line, in front of an Orchard Core site instead of a
/// <see cref="TestOrigin"/>: the site's port replaces the origin's.
/// </summary>
public sealed class OrchardVarnishServer : CacheServer
{
    private readonly int _sitePort;

    // CacheServer needs an origin; the site takes its place through ORIGIN_PORT.
    public OrchardVarnishServer(TestOrigin unusedOrigin, int sitePort)
        : base("varnish", "varnishd", unusedOrigin)
    {
        _sitePort = sitePort;
    }

    protected override string TemplateName => "varnish.vcl";

    protected override string ConfigFileName => "default.vcl";

    protected override IEnumerable<KeyValuePair<string, string>> ExtraPlaceholders() =>
        [new("ORIGIN_PORT", _sitePort.ToString(System.Globalization.CultureInfo.InvariantCulture))];

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
    ];
}
