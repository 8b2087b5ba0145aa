using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CachePurge.SampleSite;

/// <summary>The sample site started inside another process (the module's tests, the publish benchmark), set up on SQLite.</summary>
public static class SampleSiteHost
{
    /// <summary>Starts the site at <paramref name="baseUrl"/> with its data under <paramref name="contentRoot"/>, set up and ready.</summary>
    /// <param name="configureServices">Adds services of the host, which every tenant inherits (a test's trust in its own certificate).</param>
    public static async Task<WebApplication> StartAsync(Uri baseUrl, string contentRoot, string siteName, string adminPassword, LogLevel logLevel, string environment, Action<IServiceCollection> configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = SampleSite.ApplicationName,
            ContentRootPath = contentRoot,
            EnvironmentName = environment,
        });
        builder.WebHost.UseUrls(baseUrl.ToString());
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(logLevel);
        configureServices?.Invoke(builder.Services);
        builder.AddOrchardSite();

        var app = builder.Build();
        app.UseOrchardCore();
        await app.StartAsync();
        await SampleSiteSetup.SetUpIfNeededAsync(app.Services, siteName, adminPassword);
        return app;
    }
}
