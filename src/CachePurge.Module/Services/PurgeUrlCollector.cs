using OrchardCore.Data.Documents;
using OrchardCore.Modules;

namespace CachePurge.Module.Services;

/// <summary>
/// Collects, per request, the pages and tags to purge. On the first one it registers a single deferred task that
/// hands everything to the tenant's engine once the request is over, and only if the request's changes were
/// committed and no exception escaped it: Orchard runs deferred tasks after failed requests too. What it collects is
/// also saved as a <see cref="Models.PurgeIntent"/> in the request's own transaction, so that it outlives a node that
/// dies between the commit and the hand-over.
/// </summary>
public sealed class PurgeUrlCollector
{
    private readonly IDocumentStore _documentStore;
    private readonly IPurgeIntentStore _intents;
    private readonly IClock _clock;
    private CollectedPurges _collected;

    public PurgeUrlCollector(IDocumentStore documentStore, IPurgeIntentStore intents, IClock clock)
    {
        _documentStore = documentStore;
        _intents = intents;
        _clock = clock;
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

    /// <summary>Saves what was collected so far with the request's changes; call it after adding.</summary>
    public Task SaveAsync() => _collected is null ? Task.CompletedTask : _intents.SaveAsync(_collected.Intent);

    private CollectedPurges GetCollected()
    {
        if (_collected is not null)
        {
            return _collected;
        }

        // The deferred task outlives the scope: it holds only this.
        _collected = CommittedWork.Track(_documentStore, new CollectedPurges());
        _collected.Intent.CreatedUtc = _clock.UtcNow;
        return _collected;
    }
}
