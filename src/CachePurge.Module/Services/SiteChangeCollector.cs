using CachePurge.Module.Models;
using OrchardCore.Data.Documents;
using OrchardCore.Environment.Shell.Scope;

namespace CachePurge.Module.Services;

/// <summary>
/// Collects, per request, the site-wide changes it made (a template, a layer, a site setting...). Like
/// <see cref="PurgeUrlCollector"/>, it registers on the first one a single deferred task that purges everything once the
/// request is over, however many changes it made, and only if its changes were committed and no exception escaped it.
/// </summary>
public sealed class SiteChangeCollector
{
    private readonly IDocumentStore _documentStore;
    private CollectedSiteChanges _collected;
    private CollectedSiteChanges _recipe;

    public SiteChangeCollector(IDocumentStore documentStore)
    {
        _documentStore = documentStore;
    }

    /// <summary>The kinds of change collected so far.</summary>
    public IReadOnlyCollection<SiteChangeKind> Kinds => _collected?.Kinds ?? [];

    public void Add(SiteChangeKind kind) => GetCollected().Kinds.Add(kind);

    /// <summary>
    /// Makes this scope, a recipe step that Orchard runs in a scope of its own, hand what it committed to the request
    /// running the recipe (<paramref name="recipe"/>), so that a whole import purges once.
    /// </summary>
    internal void ReportTo(CollectedSiteChanges recipe)
    {
        _recipe = recipe;
        if (_collected is not null)
        {
            _collected.Recipe = recipe;
        }
    }

    /// <summary>The request's collection, started if need be, for the steps of a recipe this request runs to report to.</summary>
    internal CollectedSiteChanges Open() => GetCollected();

    private CollectedSiteChanges GetCollected()
    {
        if (_collected is not null)
        {
            return _collected;
        }

        // The callbacks capture this local rather than 'this': the deferred task outlives the scope.
        var collected = _collected = new CollectedSiteChanges { Recipe = _recipe };

        _documentStore.AfterCommitSuccess<CollectedSiteChanges>(() =>
        {
            collected.Committed = true;
            return Task.CompletedTask;
        });

        ShellScope.AddExceptionHandler((scope, exception) =>
        {
            collected.Failed = true;
            return Task.CompletedTask;
        });

        // A change that enables or disables a feature releases the tenant: the task then runs in a scope of the new
        // tenant, whose engine has taken over the journal from the old one.
        ShellScope.AddDeferredTask(scope => collected.SendAsync(scope.ServiceProvider));

        return collected;
    }
}
