using OrchardCore.Data.Documents;
using OrchardCore.Modules;

namespace CachePurge.Module.Services;

/// <summary>
/// Collects, per request, the pages and tags to purge. On the first one it registers a single deferred task that
/// hands everything to the tenant's engine once the request is over, and only if the request's changes were
/// committed and no exception escaped it: Orchard runs deferred tasks after failed requests too. What it collects is
/// also saved as a <see cref="Models.PurgeIntent"/> in the request's own transaction, so that it outlives a node that
/// dies between the commit and the hand-over; it is saved already owned by this node, with its lease, so that the
/// hand-over writes nothing more. While purging is off nothing is saved: nothing will be sent.
/// </summary>
public sealed class PurgeUrlCollector
{
    private readonly IDocumentStore _documentStore;
    private readonly IPurgeIntentStore _intents;
    private readonly IPurgeIntentClaim _claim;
    private readonly IClock _clock;
    private CollectedPurges _collected;
    private bool? _kept;

    public PurgeUrlCollector(IDocumentStore documentStore, IPurgeIntentStore intents, IPurgeIntentClaim claim, IClock clock)
    {
        _documentStore = documentStore;
        _intents = intents;
        _claim = claim;
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

    /// <summary>Saves what was collected so far with the request's changes, unless purging is off; call it after adding.</summary>
    public async Task SaveAsync()
    {
        if (_collected is null)
        {
            return;
        }

        // Claimed once per request, saved again with each addition.
        _kept ??= await _claim.TryClaimAsync(_collected.Intent);
        if (_kept == true)
        {
            await _intents.SaveAsync(_collected.Intent);
        }
    }

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
