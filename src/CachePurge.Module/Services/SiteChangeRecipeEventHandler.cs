using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Environment.Shell.Scope;
using OrchardCore.Recipes.Events;
using OrchardCore.Recipes.Models;

namespace CachePurge.Module.Services;

/// <summary>
/// Orchard runs each step of a recipe (an import, a recipe from the admin) in a scope of its own, which commits on its
/// own. This makes each step hand what it committed to the request that runs the recipe, so that an import purges
/// everything once, at its end, however many steps changed the site. As Orchard's note on
/// <see cref="IRecipeEventHandler"/> asks, it holds no tenant service: a step may run on a tenant rebuilt by an earlier
/// step, so the collectors are found through the current scope.
/// </summary>
public sealed class SiteChangeRecipeEventHandler : IRecipeEventHandler
{
    private static readonly ConcurrentDictionary<string, CollectedSiteChanges> _running = new(StringComparer.Ordinal);

    public Task RecipeExecutingAsync(string executionId, RecipeDescriptor descriptor)
    {
        // A recipe run in the current scope (e.g. by a migration) collects there already.
        if (descriptor.RequireNewScope && ShellScope.Services?.GetService<SiteChangeCollector>() is { } collector)
        {
            _running[executionId] = collector.Open();
        }

        return Task.CompletedTask;
    }

    public Task RecipeStepExecutingAsync(RecipeExecutionContext context)
    {
        if (_running.TryGetValue(context.ExecutionId, out var recipe))
        {
            ShellScope.Services?.GetService<SiteChangeCollector>()?.ReportTo(recipe);
        }

        return Task.CompletedTask;
    }

    public Task RecipeStepExecutedAsync(RecipeExecutionContext context) => Task.CompletedTask;

    public Task RecipeExecutedAsync(string executionId, RecipeDescriptor descriptor) => EndAsync(executionId);

    // The steps that ran before the failing one were committed: what they changed is still purged.
    public Task ExecutionFailedAsync(string executionId, RecipeDescriptor descriptor) => EndAsync(executionId);

    private static Task EndAsync(string executionId)
    {
        _running.TryRemove(executionId, out _);
        return Task.CompletedTask;
    }
}
