using OrchardCore.Data.Documents;

namespace CachePurge.Module.Services;

/// <summary>
/// Collects, per request, the pages and tags to purge. On the first one it registers a single deferred task that
/// hands everything to the tenant's engine once the request is over, and only if the request's changes were
/// committed and no exception escaped it: Orchard runs deferred tasks after failed requests too.
/// </summary>
public sealed class PurgeUrlCollector
{
    private readonly IDocumentStore _documentStore;
    private CollectedPurges _collected;

    public PurgeUrlCollector(IDocumentStore documentStore)
    {
        _documentStore = documentStore;
    }

    /// <summary>The URLs collected so far, de-duplicated.</summary>
    public IReadOnlyCollection<string> Urls => _collected?.Urls ?? [];

    /// <summary>The tags collected so far, de-duplicated.</summary>
    public IReadOnlyCollection<string> Tags => _collected?.Tags ?? [];

    public void AddUrl(string url)
    {
        if (!string.IsNullOrWhiteSpace(url))
        {
            GetCollected().Urls.Add(url.Trim());
        }
    }

    public void AddTag(string tag) => GetCollected().Tags.Add(tag);

    private CollectedPurges GetCollected()
    {
        if (_collected is not null)
        {
            return _collected;
        }

        // The deferred task outlives the scope: it holds only this.
        return _collected = CommittedWork.Track(_documentStore, new CollectedPurges());
    }
}
