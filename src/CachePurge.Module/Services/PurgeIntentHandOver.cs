using CachePurge.Module.Models;
using Microsoft.Extensions.Options;
using OrchardCore.Modules;

namespace CachePurge.Module.Services;

/// <summary>
/// Hands a saved purge intent to this node's engine and records that the node answers for it: the engine's commit
/// number and a lease. An intent no cache takes (purging off, only tags and no cache reads them) is done at once.
/// </summary>
public sealed class PurgeIntentHandOver
{
    private readonly TenantPurgeDispatcher _dispatcher;
    private readonly IPurgeIntentStore _intents;
    private readonly OwnedPurgeIntents _owned;
    private readonly IClock _clock;
    private readonly PurgeIntentOptions _options;

    public PurgeIntentHandOver(TenantPurgeDispatcher dispatcher, IPurgeIntentStore intents, OwnedPurgeIntents owned, IClock clock, IOptions<PurgeIntentOptions> options)
    {
        _dispatcher = dispatcher;
        _intents = intents;
        _owned = owned;
        _clock = clock;
        _options = options.Value;
    }

    public async Task HandOverAsync(PurgeIntent intent)
    {
        var sequence = await _dispatcher.CommitAsync(intent.Urls, intent.Tags);
        if (sequence == 0)
        {
            await _intents.DeleteAsync(intent.Id);
            return;
        }

        intent.Owner = PurgeNode.Id;
        intent.Sequence = sequence;
        intent.LeaseUntilUtc = _clock.UtcNow + _options.IntentLease;
        await _intents.SaveNowAsync(intent);
        _owned.Add(1);
    }
}
