using CachePurge.Module.Models;
using CachePurge.Module.Services;
using OrchardCore.Recipes.Models;
using OrchardCore.Recipes.Services;

namespace CachePurge.Module.Recipes;

/// <summary>
/// The "CachePurgeEverything" step purges every page of the site once the recipe's changes are saved: at the end of an
/// import, with whatever else the import changed. It is what the "Purge everything after import" deployment step writes.
/// </summary>
public sealed class PurgeEverythingStep : NamedRecipeStepHandler
{
    public const string Name = "CachePurgeEverything";

    private readonly SiteChangeCollector _collector;

    public PurgeEverythingStep(SiteChangeCollector collector)
        : base(Name)
    {
        _collector = collector;
    }

    protected override Task HandleAsync(RecipeExecutionContext context)
    {
        _collector.Add(SiteChangeKind.Requested);
        return Task.CompletedTask;
    }
}
