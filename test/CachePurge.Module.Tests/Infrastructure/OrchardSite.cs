using System.Text.Json;
using CachePurge.Core;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.SampleSite;
using CachePurge.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrchardCore.Entities;
using OrchardCore.Environment.Shell;
using OrchardCore.Settings;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>
/// A real Orchard Core site on loopback (SQLite, set up with the module's own sample recipe) with a real Varnish in
/// front of it, configured as the site's only cache. The Varnish keeps pages as long as the site's headers say, which
/// the sample recipe's cache policy sets. Content is changed inside tenant scopes, the way a request does.
/// </summary>
public sealed class OrchardSite : IAsyncLifetime
{
    /// <summary>The public host name pages are requested and purged with.</summary>
    public const string Host = "www.example.com";

    public const string AdminPassword = "Password01_";

    /// <summary>The VCL of a Varnish that sets no lifetimes of its own, as the sample site's and the README's.</summary>
    public const string PolicyVcl = "varnish-policy.vcl";

    private readonly string _root = Directory.CreateTempSubdirectory("cachepurge-site-").FullName;

    public WebApplication App { get; private set; }

    public Uri BaseUrl { get; private set; }

    public VarnishServer Varnish { get; private set; }

    public HttpClient CacheClient { get; } = CacheProbe.CreateClient();

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");

        // The site trusts the contract servers' test certificate (Azure Front Door's sign-in is https only), nothing else.
        App = await SampleSiteHost.StartAsync(BaseUrl, _root, "Cache Purge tests", AdminPassword, LogLevel.Warning, Environments.Development, services => services.TrustTestCertificateForPurges());

        // The Varnish sets no lifetimes: pages are kept as long as the sample recipe's cache policy says.
        Varnish = await VarnishServer.StartAsync(port, PolicyVcl);

        await UpdateSettingsAsync(UseVarnish);
        await WhenPurgedAsync();
    }

    /// <summary>
    /// Adds the tenant <paramref name="name"/> at <c>/<paramref name="urlPrefix"/></c> of the same host, set up with
    /// the same recipe as the default tenant, so that its content items have the same ids, and purging the same
    /// Varnish; does nothing if it is already running.
    /// </summary>
    public async Task AddTenantAsync(string name, string urlPrefix)
    {
        var shellHost = App.Services.GetRequiredService<IShellHost>();
        if (shellHost.TryGetSettings(name, out var existing) && existing.IsRunning())
        {
            return;
        }

        // As the Tenants module creates one: the configured defaults, then the tenant's own name and URL. Setup
        // chooses its database.
        using (var settings = App.Services.GetRequiredService<IShellSettingsManager>().CreateDefaultSettings().AsUninitialized().AsDisposable())
        {
            settings.Name = name;
            settings.RequestUrlPrefix = urlPrefix;
            await shellHost.UpdateShellSettingsAsync(settings);
        }

        await SampleSiteSetup.SetUpAsync(App.Services, name, $"Cache Purge tests ({name})", AdminPassword);
        await UpdateSettingsAsync(UseVarnish, name);
        await WhenPurgedAsync(name);
    }

    /// <summary>Enables features the sample recipe leaves off, with what they depend on; the tenant is rebuilt with them for the next request.</summary>
    public Task EnableFeaturesAsync(params string[] featureIds) => InTenantAsync(async services =>
    {
        var features = services.GetRequiredService<IShellFeaturesManager>();
        var enabled = (await features.GetEnabledFeaturesAsync()).Select(f => f.Id).ToHashSet();
        if (!featureIds.All(enabled.Contains))
        {
            var available = await features.GetAvailableFeaturesAsync();
            await features.EnableFeaturesAsync(available.Where(f => featureIds.Contains(f.Id)), force: true);
        }
    });

    public async Task DisposeAsync()
    {
        CacheClient.Dispose();
        if (Varnish is not null)
        {
            await Varnish.DisposeAsync();
        }

        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }

        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> in a scope of the site (the default tenant unless <paramref name="tenant"/> is
    /// given), like a request: changes are committed and purges sent at its end.
    /// </summary>
    public Task InTenantAsync(Func<IServiceProvider, Task> action, string tenant = ShellSettings.DefaultShellName) =>
        SampleSiteSetup.InTenantAsync(App.Services, tenant, action);

    /// <summary>Completes when Varnish has acknowledged every purge of the tenant committed so far.</summary>
    public Task WhenPurgedAsync(string tenant = ShellSettings.DefaultShellName) => InTenantAsync(async services =>
    {
        var idle = await services.GetRequiredService<TenantPurgeDispatcher>().UseAsync(d => d.WhenIdleAsync(), Task.CompletedTask);
        await idle.WaitAsync(TimeSpan.FromSeconds(20));
    }, tenant);

    /// <summary>Changes the settings as the settings page and the recipe step do: saved, then the tenant is released.</summary>
    public Task UpdateSettingsAsync(Action<CachePurgeSettings> change, string tenant = ShellSettings.DefaultShellName) => InTenantAsync(async services =>
    {
        var site = await services.GetRequiredService<ISiteService>().LoadSiteSettingsAsync();
        var settings = site.GetOrCreate<CachePurgeSettings>();
        change(settings);
        await SaveSettingsAsync(services, site, settings);
    }, tenant);

    /// <summary>Puts back settings read earlier with <see cref="GetSettingsAsync"/>, whatever a test changed since.</summary>
    public Task RestoreSettingsAsync(CachePurgeSettings saved, string tenant = ShellSettings.DefaultShellName) => InTenantAsync(async services =>
        await SaveSettingsAsync(services, await services.GetRequiredService<ISiteService>().LoadSiteSettingsAsync(), saved), tenant);

    public async Task<CachePurgeSettings> GetSettingsAsync()
    {
        CachePurgeSettings settings = null;
        await InTenantAsync(async services => settings = (await services.GetRequiredService<ISiteService>().GetSiteSettingsAsync()).GetOrCreate<CachePurgeSettings>());
        return settings;
    }

    private static async Task SaveSettingsAsync(IServiceProvider services, ISite site, CachePurgeSettings settings)
    {
        site.Put(settings);
        await services.GetRequiredService<ISiteService>().UpdateSiteSettingsAsync(site);
        services.GetRequiredService<IShellReleaseManager>().RequestRelease();
    }

    /// <summary>
    /// Changes the cache policy as its settings page and recipe step do. Each response reads it, so the tenant is not
    /// released and the next page has it.
    /// </summary>
    public Task UpdatePolicyAsync(Action<CachePolicySettings> change) => InTenantAsync(async services =>
    {
        var siteService = services.GetRequiredService<ISiteService>();
        var site = await siteService.LoadSiteSettingsAsync();
        var settings = site.GetOrCreate<CachePolicySettings>();
        change(settings);
        site.Put(settings);
        await siteService.UpdateSiteSettingsAsync(site);
    });

    /// <summary>A copy of the cache policy, to put back with <see cref="RestorePolicyAsync"/>.</summary>
    public async Task<CachePolicySettings> GetPolicyAsync()
    {
        CachePolicySettings settings = null;
        await InTenantAsync(async services => settings = (await services.GetRequiredService<ISiteService>().GetSiteSettingsAsync()).GetOrCreate<CachePolicySettings>());
        return JsonSerializer.Deserialize<CachePolicySettings>(JsonSerializer.Serialize(settings));
    }

    public Task RestorePolicyAsync(CachePolicySettings saved) => InTenantAsync(async services =>
    {
        var siteService = services.GetRequiredService<ISiteService>();
        var site = await siteService.LoadSiteSettingsAsync();
        site.Put(saved);
        await siteService.UpdateSiteSettingsAsync(site);
    });

    /// <summary>The site's public host and this Varnish as its only cache.</summary>
    private void UseVarnish(CachePurgeSettings settings)
    {
        settings.SiteHosts = [Host];
        settings.Caches = [new() { Name = "varnish", BaseUrl = Varnish.BaseUrl.ToString().TrimEnd('/'), Kind = CacheKind.Varnish, TagHeader = "xkey-purge", TimeoutSeconds = 5 }];
    }

    /// <summary>GETs a page through Varnish: whether it was a hit, the status and the body.</summary>
    public async Task<(bool Hit, int Status, string Body)> GetThroughCacheAsync(string path)
    {
        using var response = await CacheProbe.SendAsync(CacheClient, Varnish, HttpMethod.Get, path, Host);
        return (CacheProbe.IsHit(response), (int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
