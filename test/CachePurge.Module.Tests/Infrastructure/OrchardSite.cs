using CachePurge.Core;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrchardCore.Abstractions.Setup;
using OrchardCore.BackgroundTasks;
using OrchardCore.Entities;
using OrchardCore.Environment.Shell;
using OrchardCore.Environment.Shell.Scope;
using OrchardCore.ResourceManagement.TagHelpers;
using OrchardCore.Settings;
using OrchardCore.Setup.Services;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>
/// A real Orchard Core site on loopback (SQLite, set up with the module's own sample recipe) with a real Varnish in
/// front of it, configured as the site's only cache. Content is changed inside tenant scopes, the way a request does.
/// </summary>
public sealed class OrchardSite : IAsyncLifetime
{
    /// <summary>The public host name pages are requested and purged with.</summary>
    public const string Host = "www.example.com";

    public const string AdminPassword = "Password01_";

    private readonly string _root = Directory.CreateTempSubdirectory("cachepurge-site-").FullName;

    public WebApplication App { get; private set; }

    public Uri BaseUrl { get; private set; }

    public VarnishServer Varnish { get; private set; }

    public HttpClient CacheClient { get; } = CacheProbe.CreateClient();

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        BaseUrl = new Uri($"http://127.0.0.1:{port}/");

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            // Orchard reads the list of modules from the application's assembly: this test assembly.
            ApplicationName = typeof(OrchardSite).Assembly.GetName().Name,
            ContentRootPath = _root,
            EnvironmentName = Environments.Development,
        });
        builder.WebHost.UseUrls(BaseUrl.ToString());
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(LogLevel.Warning);

        // What AddOrchardCms() composes, without the all-in-one package that needs Media and the cloud modules.
        var orchard = builder.Services
            .AddOrchardCore()
            .AddCommands()
            .AddSecurity()
            .AddMvc()
            .AddIdGeneration()
            .AddEmailAddressValidator()
            .AddHtmlSanitizer()
            .AddSetupFeatures("OrchardCore.Setup")
            .AddDataAccess()
            .AddDataStorage()
            .AddBackgroundService()
            .AddScripting()
            .AddTheming()
            .AddGlobalFeatures("OrchardCore.Liquid.Core")
            .AddCaching();
        orchard.ConfigureServices(services =>
        {
            services.AddResourceManagement();
            services.AddTagHelpers<LinkTagHelper>();
            services.AddTagHelpers<MetaTagHelper>();
            services.AddTagHelpers<ResourcesTagHelper>();
            services.AddTagHelpers<ScriptTagHelper>();
            services.AddTagHelpers<StyleTagHelper>();
        });

        App = builder.Build();

        // The shared cache fixtures wait for a 200 on this path through the cache before they report ready.
        App.Use(async (context, next) =>
        {
            if (context.Request.Path == "/__cachepurge-ready")
            {
                await context.Response.WriteAsync("ready");
                return;
            }

            await next();
        });
        App.UseOrchardCore();
        await App.StartAsync();

        // Shells are otherwise created by the first request.
        await App.Services.GetRequiredService<IShellHost>().InitializeAsync();

        await SetUpTenantAsync();

        Varnish = await VarnishServer.StartAsync(port);

        await UpdateSettingsAsync(settings =>
        {
            settings.SiteHosts = [Host];
            settings.Caches = [new() { Name = "varnish", BaseUrl = Varnish.BaseUrl.ToString().TrimEnd('/'), Kind = CacheKind.Varnish, TagHeader = "xkey-purge", TimeoutSeconds = 5 }];
        });
        await WhenPurgedAsync();
    }

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

    /// <summary>Runs <paramref name="action"/> in a scope of the site, like a request: changes are committed and purges sent at its end.</summary>
    public async Task InTenantAsync(Func<IServiceProvider, Task> action)
    {
        var shellHost = App.Services.GetRequiredService<IShellHost>();
        var scope = await shellHost.GetScopeAsync(ShellSettings.DefaultShellName);
        App.Services.GetRequiredService<IHttpContextAccessor>().HttpContext = scope.ShellContext.CreateHttpContext();
        await scope.UsingAsync(s => action(s.ServiceProvider));
    }

    /// <summary>Completes when Varnish has acknowledged every purge committed so far.</summary>
    public Task WhenPurgedAsync() => InTenantAsync(async services =>
    {
        var idle = await services.GetRequiredService<TenantPurgeDispatcher>().UseAsync(d => d.WhenIdleAsync(), Task.CompletedTask);
        await idle.WaitAsync(TimeSpan.FromSeconds(20));
    });

    public Task UpdateSettingsAsync(Action<CachePurgeSettings> change) => InTenantAsync(async services =>
    {
        var siteService = services.GetRequiredService<ISiteService>();
        var site = await siteService.LoadSiteSettingsAsync();
        var settings = site.As<CachePurgeSettings>();
        change(settings);
        site.Put(settings);
        await siteService.UpdateSiteSettingsAsync(site);
    });

    public async Task<CachePurgeSettings> GetSettingsAsync()
    {
        CachePurgeSettings settings = null;
        await InTenantAsync(async services => settings = (await services.GetRequiredService<ISiteService>().GetSiteSettingsAsync()).As<CachePurgeSettings>());
        return settings;
    }

    /// <summary>GETs a page through Varnish: whether it was a hit, the status and the body.</summary>
    public async Task<(bool Hit, int Status, string Body)> GetThroughCacheAsync(string path)
    {
        using var response = await CacheProbe.SendAsync(CacheClient, Varnish, HttpMethod.Get, path, Host);
        return (CacheProbe.IsHit(response), (int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task SetUpTenantAsync()
    {
        await InTenantAsync(async services =>
        {
            var setupService = services.GetRequiredService<ISetupService>();
            var recipe = (await setupService.GetSetupRecipesAsync()).Single(r => r.Name == "CachePurgeSample");
            var context = new SetupContext
            {
                ShellSettings = services.GetRequiredService<ShellSettings>(),
                Errors = new Dictionary<string, string>(),
                Recipe = recipe,
                Properties = new Dictionary<string, object>
                {
                    [SetupConstants.SiteName] = "Cache Purge tests",
                    [SetupConstants.AdminUsername] = "admin",
                    [SetupConstants.AdminEmail] = "admin@example.com",
                    [SetupConstants.AdminPassword] = AdminPassword,
                    [SetupConstants.SiteTimeZone] = "UTC",
                    [SetupConstants.DatabaseProvider] = "Sqlite",
                    [SetupConstants.DatabaseConnectionString] = "",
                    [SetupConstants.DatabaseTablePrefix] = "",
                },
            };

            await setupService.SetupAsync(context);
            if (context.Errors.Count > 0)
            {
                throw new InvalidOperationException("Setup failed: " + string.Join("; ", context.Errors.Select(e => $"{e.Key}: {e.Value}")));
            }
        });
    }
}
