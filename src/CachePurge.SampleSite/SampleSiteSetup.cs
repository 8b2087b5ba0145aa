using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Abstractions.Setup;
using OrchardCore.BackgroundTasks;
using OrchardCore.Environment.Shell;
using OrchardCore.Environment.Shell.Scope;
using OrchardCore.Setup.Services;

namespace CachePurge.SampleSite;

/// <summary>
/// Sets up the default tenant with the module's sample recipe the first time the site starts; the tests set up more
/// tenants with it. The database is SQLite unless the tenant's configuration names another (a web farm's nodes share
/// one, e.g. <c>OrchardCore__Default__DatabaseProvider=Postgres</c> with its <c>ConnectionString</c>).
/// </summary>
public static class SampleSiteSetup
{
    /// <summary>The setup recipe shipped in the module's <c>Recipes/</c> folder.</summary>
    public const string RecipeName = "CachePurgeSample";

    /// <summary>
    /// What the nodes of a web farm need of Orchard when the tenant's configuration has <c>OrchardCore_Redis:Configuration</c>:
    /// a lock, a message bus, a shared cache and data protection keys in Redis, and tenant changes seen by every node.
    /// </summary>
    public static readonly string[] FarmFeatures =
    [
        "OrchardCore.Redis.Lock",
        "OrchardCore.Redis.Bus",
        "OrchardCore.Redis.Cache",
        "OrchardCore.Redis.DataProtection",
        "OrchardCore.Tenants.Distributed",
    ];

    public static async Task SetUpIfNeededAsync(IServiceProvider services, string siteName, string adminPassword)
    {
        var shellHost = services.GetRequiredService<IShellHost>();

        // Shells are otherwise created by the first request.
        await shellHost.InitializeAsync();
        if (shellHost.TryGetSettings(ShellSettings.DefaultShellName, out var settings) && settings.IsRunning())
        {
            return;
        }

        await SetUpAsync(services, ShellSettings.DefaultShellName, siteName, adminPassword);
        if (!string.IsNullOrEmpty(settings?["OrchardCore_Redis:Configuration"]))
        {
            await InTenantAsync(services, async scope =>
            {
                var features = scope.GetRequiredService<IShellFeaturesManager>();
                var available = await features.GetAvailableFeaturesAsync();
                await features.EnableFeaturesAsync(available.Where(f => FarmFeatures.Contains(f.Id)), force: true);
            });
        }
    }

    /// <summary>
    /// Sets up the tenant <paramref name="tenantName"/>, which must exist and not be set up yet, with the sample recipe on
    /// its own SQLite database, or the database its configuration names. Every tenant set up this way has the recipe's content items, with the same ids.
    /// </summary>
    public static Task SetUpAsync(IServiceProvider services, string tenantName, string siteName, string adminPassword) =>
        InTenantAsync(services, tenantName, async scope =>
        {
            var setupService = scope.GetRequiredService<ISetupService>();
            var recipe = (await setupService.GetSetupRecipesAsync()).Single(r => r.Name == RecipeName);
            var shellSettings = scope.GetRequiredService<ShellSettings>();
            var context = new SetupContext
            {
                ShellSettings = shellSettings,
                Errors = new Dictionary<string, string>(),
                Recipe = recipe,
                Properties = new Dictionary<string, object>
                {
                    [SetupConstants.SiteName] = siteName,
                    [SetupConstants.AdminUsername] = "admin",
                    [SetupConstants.AdminEmail] = "admin@example.com",
                    [SetupConstants.AdminPassword] = adminPassword,
                    [SetupConstants.SiteTimeZone] = "UTC",
                    [SetupConstants.DatabaseProvider] = shellSettings["DatabaseProvider"] is { Length: > 0 } provider ? provider : "Sqlite",
                    [SetupConstants.DatabaseConnectionString] = shellSettings["ConnectionString"] ?? "",
                    [SetupConstants.DatabaseTablePrefix] = shellSettings["TablePrefix"] ?? "",
                },
            };

            await setupService.SetupAsync(context);
            if (context.Errors.Count > 0)
            {
                throw new InvalidOperationException("Setup failed: " + string.Join("; ", context.Errors.Select(e => $"{e.Key}: {e.Value}")));
            }
        });

    /// <summary>Runs <paramref name="action"/> in a scope of the default tenant, the way a request does: changes are committed at its end.</summary>
    public static Task InTenantAsync(IServiceProvider services, Func<IServiceProvider, Task> action) =>
        InTenantAsync(services, ShellSettings.DefaultShellName, action);

    /// <summary>Runs <paramref name="action"/> in a scope of the tenant <paramref name="tenantName"/>, the way a request does.</summary>
    public static async Task InTenantAsync(IServiceProvider services, string tenantName, Func<IServiceProvider, Task> action)
    {
        var scope = await services.GetRequiredService<IShellHost>().GetScopeAsync(tenantName);
        services.GetRequiredService<IHttpContextAccessor>().HttpContext = scope.ShellContext.CreateHttpContext();
        await scope.UsingAsync(s => action(s.ServiceProvider));
    }
}
