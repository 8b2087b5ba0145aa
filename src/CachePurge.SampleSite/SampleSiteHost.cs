using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CachePurge.SampleSite;

/// <summary>The sample site started inside another process (the module's tests, the publish benchmark), set up on SQLite.</summary>
public static class SampleSiteHost
{
    /// <summary>Starts the site at <paramref name="baseUrl"/> with its data under <paramref name="contentRoot"/>, set up and ready.</summary>
    public static async Task<WebApplication> StartAsync(Uri baseUrl, string contentRoot, string siteName, string adminPassword, LogLevel logLevel, string environment)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = SampleSite.ApplicationName,
            ContentRootPath = contentRoot,
            EnvironmentName = environment,
        });
        builder.WebHost.UseUrls(baseUrl.ToString());
        builder.Logging.ClearProviders().AddConsole().SetMinimumLevel(logLevel);
        builder.AddOrchardSite();

        var app = builder.Build();
        app.UseOrchardCore();
        await app.StartAsync();
        await SampleSiteSetup.SetUpIfNeededAsync(app.Services, siteName, adminPassword);
        return app;
    }
}
