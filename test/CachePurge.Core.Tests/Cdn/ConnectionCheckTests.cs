using CachePurge.Core.Tests.Infrastructure;
using CachePurge.Testing;
using CachePurge.Testing.Cdn;

namespace CachePurge.Core.Tests.Cdn;

/// <summary>The read-only "Test connection" of each CDN against its contract server: nothing is purged.</summary>
public sealed class ConnectionCheckTests
{
    [Fact]
    public async Task Cloudflare_with_a_good_token_is_active_and_reaches_its_zone_by_name()
    {
        await using var server = await CloudflareContractServer.StartAsync("cf-" + Guid.NewGuid().ToString("N"), CloudflareContractLimits.Pro);
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Cloudflare(server, server.Token)));

        var check = await dispatcher.CheckConnectionAsync("cloudflare");

        Assert.NotNull(check);
        Assert.Equal(ConnectionCheckOutcome.Succeeded, check.Outcome);
        Assert.Equal("token active; zone example.com; purge everything goes by host, not the whole zone", check.Description);
        Assert.Empty(check.Warnings);
        Assert.Equal(["verify", "zone"], server.Calls.Select(c => c.Member));
        Assert.DoesNotContain(server.Calls, c => c.Items.Length > 0);
    }

    [Fact]
    public async Task Cloudflare_warns_that_a_token_that_passes_may_purge_the_whole_zone_when_the_cache_never_purges_everything()
    {
        await using var server = await CloudflareContractServer.StartAsync("cf-" + Guid.NewGuid().ToString("N"), CloudflareContractLimits.Pro);
        var endpoint = Cloudflare(server, server.Token);
        endpoint.NeverPurgeEverything = true;
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(endpoint));

        var check = await dispatcher.CheckConnectionAsync("cloudflare");

        Assert.NotNull(check);
        Assert.Equal(ConnectionCheckOutcome.Succeeded, check.Outcome);
        Assert.Equal("token active; zone example.com", check.Description);
        Assert.Equal(["this token may also purge the whole zone; CachePurge never will, as set"], check.Warnings);
    }

    [Fact]
    public async Task Cloudflare_under_a_path_base_says_purge_everything_goes_by_prefix()
    {
        await using var server = await CloudflareContractServer.StartAsync("cf-" + Guid.NewGuid().ToString("N"), CloudflareContractLimits.Pro);
        var options = DispatcherFactory.Options(Cloudflare(server, server.Token));
        options.PathBase = "/blog";
        await using var dispatcher = DispatcherFactory.Start(options);

        var check = await dispatcher.CheckConnectionAsync("cloudflare");

        Assert.NotNull(check);
        Assert.Equal("token active; zone example.com; purge everything goes by prefix, not the whole zone", check.Description);
        Assert.Empty(check.Warnings);
    }

    [Fact]
    public async Task Cloudflare_with_a_wrong_token_is_refused_with_cloudflares_message()
    {
        await using var server = await CloudflareContractServer.StartAsync("cf-" + Guid.NewGuid().ToString("N"), CloudflareContractLimits.Pro);
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Cloudflare(server, "cf-wrong")));

        var check = await dispatcher.CheckConnectionAsync("cloudflare");

        Assert.NotNull(check);
        Assert.Equal(ConnectionCheckOutcome.Refused, check.Outcome);
        Assert.Equal("the API token was refused: HTTP 403 Forbidden: 9109 Invalid access token", check.Description);
        Assert.Single(server.Calls);
    }

    [Fact]
    public async Task Cloudflare_with_an_unknown_zone_fails_naming_the_zone()
    {
        await using var server = await CloudflareContractServer.StartAsync("cf-" + Guid.NewGuid().ToString("N"), CloudflareContractLimits.Pro);
        var endpoint = Cloudflare(server, server.Token);
        endpoint.ZoneId = "0123456789abcdef0123456789abcdef";
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(endpoint));

        var check = await dispatcher.CheckConnectionAsync("cloudflare");

        Assert.NotNull(check);
        Assert.Equal(ConnectionCheckOutcome.Failed, check.Outcome);
        Assert.StartsWith("the zone 0123456789abcdef0123456789abcdef could not be read: HTTP 400 Bad Request: 7003 Could not route to /client/v4/zones/0123456789abcdef0123456789abcdef", check.Description);
    }

    [Fact]
    public async Task Fastly_with_a_good_key_reaches_its_service_by_name()
    {
        await using var server = await FastlyContractServer.StartAsync("fastly-" + Guid.NewGuid().ToString("N"), "www.example.com");
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Fastly(server, server.Key)));

        var check = await dispatcher.CheckConnectionAsync("fastly");

        Assert.NotNull(check);
        Assert.Equal(ConnectionCheckOutcome.Succeeded, check.Outcome);
        Assert.Equal("key accepted, scope global; service www.example.com", check.Description);
        Assert.Empty(check.Warnings);
        Assert.Equal(["token", "service"], server.Calls.Select(c => c.Member));
    }

    [Theory]
    [InlineData("global", false, null)]
    [InlineData("purge_select purge_all global:read", false, null)]
    [InlineData("purge_select global:read", false, "this token's scope (purge_select global:read) lacks purge_all: Fastly would refuse a purge of everything; turn on never purge everything, or give the token purge_all")]
    [InlineData("global", true, "this token may also purge the whole service (scope global); CachePurge never will, as set")]
    [InlineData("purge_all global:read", true, "this token may also purge the whole service (scope purge_all global:read); CachePurge never will, as set")]
    [InlineData("purge_select global:read", true, null)]
    public async Task Fastly_shows_the_token_scope_and_warns_where_it_does_not_match_never_purge_everything(string scope, bool neverPurgeEverything, string? warning)
    {
        await using var server = await FastlyContractServer.StartAsync("fastly-" + Guid.NewGuid().ToString("N"), "www.example.com");
        server.Scope = scope;
        var endpoint = Fastly(server, server.Key);
        endpoint.NeverPurgeEverything = neverPurgeEverything;
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(endpoint));

        var check = await dispatcher.CheckConnectionAsync("fastly");

        Assert.NotNull(check);
        Assert.Equal(ConnectionCheckOutcome.Succeeded, check.Outcome);
        Assert.Equal($"key accepted, scope {scope}; service www.example.com", check.Description);
        Assert.Equal(warning is null ? [] : [warning], check.Warnings);
    }

    [Fact]
    public async Task Fastly_refuses_the_service_read_to_a_purge_only_token_and_the_check_reports_the_refusal()
    {
        await using var server = await FastlyContractServer.StartAsync("fastly-" + Guid.NewGuid().ToString("N"), "www.example.com");
        server.Scope = "purge_select purge_all";
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Fastly(server, server.Key)));

        var check = await dispatcher.CheckConnectionAsync("fastly");

        // Reading a service needs global or global:read: the token reads itself, then is refused the service.
        Assert.NotNull(check);
        Assert.Equal(ConnectionCheckOutcome.Refused, check.Outcome);
        Assert.Equal("the API token was refused: HTTP 403 Forbidden: Forbidden (the token's scope does not allow this)", check.Description);
        Assert.Equal(["token", "service"], server.Calls.Select(c => c.Member));
    }

    [Fact]
    public async Task Fastly_refuses_purge_all_to_a_token_without_purge_all_as_the_check_warns()
    {
        await using var server = await FastlyContractServer.StartAsync("fastly-" + Guid.NewGuid().ToString("N"), "www.example.com");
        server.Scope = "purge_select global:read";
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Fastly(server, server.Key)));

        dispatcher.PurgeEverything(siteTag: null);
        await Eventually.WaitUntilAsync(() => server.Calls.Any(c => c.Member == "all"), seconds: 10);

        Assert.All(server.Calls.Where(c => c.Member == "all"), c => Assert.Equal(System.Net.HttpStatusCode.Forbidden, c.Status));
    }

    [Fact]
    public async Task Fastly_with_a_wrong_key_is_refused_with_fastlys_message()
    {
        await using var server = await FastlyContractServer.StartAsync("fastly-" + Guid.NewGuid().ToString("N"), "www.example.com");
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(Fastly(server, "fastly-wrong")));

        var check = await dispatcher.CheckConnectionAsync("fastly");

        Assert.NotNull(check);
        Assert.Equal(ConnectionCheckOutcome.Refused, check.Outcome);
        Assert.Equal("the API token was refused: HTTP 401 Unauthorized: Provided credentials are missing or invalid", check.Description);
    }

    [Fact]
    public async Task Fastly_with_an_unknown_service_fails_naming_the_service()
    {
        await using var server = await FastlyContractServer.StartAsync("fastly-" + Guid.NewGuid().ToString("N"), "www.example.com");
        var endpoint = Fastly(server, server.Key);
        endpoint.ServiceId = "NoSuchService0000000000";
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(endpoint));

        var check = await dispatcher.CheckConnectionAsync("fastly");

        Assert.NotNull(check);
        Assert.Equal(ConnectionCheckOutcome.Failed, check.Outcome);
        Assert.Equal("the service NoSuchService0000000000 could not be read: HTTP 404 Not Found: Record not found (Couldn't find Service 'NoSuchService0000000000')", check.Description);
    }

    [Fact]
    public async Task A_cache_without_a_connection_check_is_left_to_the_probe()
    {
        await using var dispatcher = DispatcherFactory.Start(DispatcherFactory.Options(DispatcherFactory.Endpoint("varnish", new Uri("http://127.0.0.1:9/"))));

        Assert.Null(await dispatcher.CheckConnectionAsync("varnish"));
    }

    private static CacheEndpoint Cloudflare(CloudflareContractServer server, string token) => new()
    {
        Name = "cloudflare",
        Kind = CacheKind.Cloudflare,
        BaseUrl = server.BaseUrl.ToString(),
        ZoneId = server.ZoneId,
        ApiToken = token,
        Timeout = TimeSpan.FromSeconds(5),
    };

    private static CacheEndpoint Fastly(FastlyContractServer server, string key) => new()
    {
        Name = "fastly",
        Kind = CacheKind.Fastly,
        BaseUrl = server.BaseUrl.ToString(),
        ServiceId = server.ServiceId,
        ApiToken = key,
        Timeout = TimeSpan.FromSeconds(5),
    };
}
