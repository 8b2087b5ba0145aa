using CachePurge.Module.Models;
using OrchardCore.Data.Documents;

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

        // The deferred task outlives the scope: it holds only this.
        return _collected = CommittedWork.Track(_documentStore, new CollectedSiteChanges { Recipe = _recipe });
    }
}
