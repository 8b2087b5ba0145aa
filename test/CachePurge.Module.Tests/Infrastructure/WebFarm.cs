using System.Net;
using CachePurge.Testing;
using CachePurge.Testing.Farm;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>
/// A web farm of real parts: two nodes of the sample site (separate processes) on one PostgreSQL database, with Orchard's
/// Redis lock, bus, cache and data protection on one Redis, behind one Varnish that fetches from node B. Node A sets the
/// site up with the sample recipe and is configured, through its settings page, to purge that Varnish for
/// <see cref="OrchardSite.Host"/> through a <see cref="TcpRelay"/> (<see cref="PurgeRoute"/>) that a test can take
/// down to make the cache unreachable for purges only; node B starts on the same tenant settings. Pages come from
/// node B, so that node A can die with the site still served.
/// </summary>
public sealed class WebFarm : IAsyncLifetime
{
    public const string Database = "orchard";

    private readonly List<IAsyncDisposable> _parts = [];
    private readonly IReadOnlyDictionary<string, string> _extraConfiguration;

    public WebFarm()
        : this(new Dictionary<string, string>())
    {
    }

    private WebFarm(IReadOnlyDictionary<string, string> extraConfiguration)
    {
        _extraConfiguration = extraConfiguration;
    }

    /// <summary>A farm of its own, with <paramref name="extraConfiguration"/> for both nodes (e.g. shorter intent leases); the caller initializes and disposes it.</summary>
    public static WebFarm With(IReadOnlyDictionary<string, string> extraConfiguration) => new(extraConfiguration);

    public PostgresServer Postgres { get; private set; }

    public RedisServer Redis { get; private set; }

    public FarmNode NodeA { get; private set; }

    public FarmNode NodeB { get; private set; }

    public VarnishServer Varnish { get; private set; }

    /// <summary>The way purges take to Varnish; visitors' GETs go to Varnish directly.</summary>
    public TcpRelay PurgeRoute { get; private set; }

    public HttpClient CacheClient { get; } = CacheProbe.CreateClient();

    /// <summary>The configuration every node starts with: the shared database and Redis.</summary>
    public IReadOnlyDictionary<string, string> NodeConfiguration { get; private set; }

    public async Task InitializeAsync()
    {
        Postgres = Keep(await PostgresServer.StartAsync());
        Redis = Keep(await RedisServer.StartAsync());
        var configuration = new Dictionary<string, string>(_extraConfiguration)
        {
            ["OrchardCore__Default__DatabaseProvider"] = "Postgres",
            ["OrchardCore__Default__ConnectionString"] = await Postgres.CreateDatabaseAsync(Database),
            ["OrchardCore__Default__TablePrefix"] = "",
            ["OrchardCore__OrchardCore_Redis__Configuration"] = Redis.Configuration,
        };
        NodeConfiguration = configuration;

        var nodeBPort = FreePort.Next();
        Varnish = Keep(await VarnishServer.StartAsync(nodeBPort, OrchardSite.PolicyVcl));
        PurgeRoute = Keep(TcpRelay.Start(Varnish.Port));

        NodeA = Keep(await FarmNode.StartAsync("a", NodeConfiguration));
        await UseVarnishAsync(NodeA);
        NodeB = Keep(await FarmNode.StartAsync("b", NodeConfiguration, NodeA, nodeBPort));

        // A node's first page compiles its views: not within the time a visitor's GET through Varnish waits.
        await NodeB.WarmUpAsync();
    }

    public async Task DisposeAsync()
    {
        CacheClient.Dispose();
        _parts.Reverse();
        foreach (var part in _parts)
        {
            await part.DisposeAsync();
        }
    }

    /// <summary>GETs a page through Varnish as a visitor of <see cref="OrchardSite.Host"/>: whether it was a hit, the status and the body.</summary>
    public async Task<(bool Hit, int Status, string Body)> GetThroughCacheAsync(string path)
    {
        using var response = await CacheProbe.SendAsync(CacheClient, Varnish, HttpMethod.Get, path, OrchardSite.Host);
        return (CacheProbe.IsHit(response), (int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// Replaces the HTML body of the item <paramref name="id"/> (and its extra URLs to purge, when given) and publishes
    /// it in its editor on <paramref name="node"/>, as an editor does.
    /// </summary>
    public static async Task PublishBodyAsync(FarmNode node, string id, string html, IEnumerable<string> purgeUrls = null)
    {
        using var admin = await AdminBrowser.SignInAsync(node.BaseUrl, "admin", OrchardSite.AdminPassword);
        using var published = await admin.PublishInEditorAsync(id, fields =>
        {
            AdminBrowser.SetField(fields, "HtmlBodyPart.Html", html);
            if (purgeUrls is not null)
            {
                AdminBrowser.SetField(fields, "PurgeUrlsPart.Urls", string.Join('\n', purgeUrls));
            }
        });
        Assert.True(published.StatusCode == HttpStatusCode.Redirect, $"Publishing on {node} answered {(int)published.StatusCode}.");
    }

    /// <summary>On the settings page of <paramref name="node"/>: the site's public host, and this Varnish as the only cache.</summary>
    private async Task UseVarnishAsync(FarmNode node)
    {
        const string settingsPage = "Admin/Settings/CachePurge";
        using var admin = await AdminBrowser.SignInAsync(node.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(settingsPage);
        var fields = AdminBrowser.FormFields(page, "/" + settingsPage);
        AdminBrowser.SetField(fields, ".SiteHosts", OrchardSite.Host);
        AdminBrowser.SetField(fields, ".Caches[0].BaseUrl", $"http://127.0.0.1:{PurgeRoute.Port}");

        // Tests count the purges of hundreds of paths one by one: no purge of everything in their place.
        AdminBrowser.SetField(fields, ".EscalationThreshold", "5000");

        using var saved = await admin.PostMultipartAsync(settingsPage, fields);
        Assert.True(saved.StatusCode == HttpStatusCode.Redirect, $"Saving the settings on {node} answered {(int)saved.StatusCode}.");
    }

    private T Keep<T>(T part)
        where T : IAsyncDisposable
    {
        _parts.Add(part);
        return part;
    }
}
