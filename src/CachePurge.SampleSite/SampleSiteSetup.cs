using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Abstractions.Setup;
using OrchardCore.BackgroundTasks;
using OrchardCore.Environment.Shell;
using OrchardCore.Environment.Shell.Scope;
using OrchardCore.Setup.Services;

namespace CachePurge.SampleSite;

/// <summary>Sets up the default tenant with the module's sample recipe (SQLite) the first time the site starts; the tests set up more tenants with it.</summary>
public static class SampleSiteSetup
{
    /// <summary>The setup recipe shipped in the module's <c>Recipes/</c> folder.</summary>
    public const string RecipeName = "CachePurgeSample";

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
    }

    /// <summary>
    /// Sets up the tenant <paramref name="tenantName"/>, which must exist and not be set up yet, with the sample recipe on
    /// its own SQLite database. Every tenant set up this way has the recipe's content items, with the same ids.
    /// </summary>
    public static Task SetUpAsync(IServiceProvider services, string tenantName, string siteName, string adminPassword) =>
        InTenantAsync(services, tenantName, async scope =>
        {
            var setupService = scope.GetRequiredService<ISetupService>();
            var recipe = (await setupService.GetSetupRecipesAsync()).Single(r => r.Name == RecipeName);
            var context = new SetupContext
            {
                ShellSettings = scope.GetRequiredService<ShellSettings>(),
                Errors = new Dictionary<string, string>(),
                Recipe = recipe,
                Properties = new Dictionary<string, object>
                {
                    [SetupConstants.SiteName] = siteName,
                    [SetupConstants.AdminUsername] = "admin",
                    [SetupConstants.AdminEmail] = "admin@example.com",
                    [SetupConstants.AdminPassword] = adminPassword,
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
