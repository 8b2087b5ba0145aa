using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Abstractions.Setup;
using OrchardCore.BackgroundTasks;
using OrchardCore.Environment.Shell;
using OrchardCore.Environment.Shell.Scope;
using OrchardCore.Setup.Services;

namespace CachePurge.SampleSite;

/// <summary>Sets up the default tenant with the module's sample recipe (SQLite) the first time the site starts.</summary>
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

        await InTenantAsync(services, async scope =>
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
    }

    /// <summary>Runs <paramref name="action"/> in a scope of the default tenant, the way a request does: changes are committed at its end.</summary>
    public static async Task InTenantAsync(IServiceProvider services, Func<IServiceProvider, Task> action)
    {
        var scope = await services.GetRequiredService<IShellHost>().GetScopeAsync(ShellSettings.DefaultShellName);
        services.GetRequiredService<IHttpContextAccessor>().HttpContext = scope.ShellContext.CreateHttpContext();
        await scope.UsingAsync(s => action(s.ServiceProvider));
    }
}
