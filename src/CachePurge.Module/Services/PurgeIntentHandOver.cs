using CachePurge.Core;
using CachePurge.Module.Models;
using Microsoft.Extensions.Options;
using OrchardCore.Modules;

namespace CachePurge.Module.Services;

/// <summary>
/// Hands a saved purge intent to this node's engine and records that the node answers for it: the engine's commit
/// number and a lease. An intent no cache takes (only tags and no cache reads them) is done at once.
/// </summary>
public sealed class PurgeIntentHandOver : IPurgeIntentClaim
{
    private readonly TenantPurgeDispatcher _dispatcher;
    private readonly CachePurgeSettingsService _settingsService;
    private readonly IPurgeIntentStore _intents;
    private readonly OwnedPurgeIntents _owned;
    private readonly IClock _clock;
    private readonly PurgeIntentOptions _options;

    public PurgeIntentHandOver(TenantPurgeDispatcher dispatcher, CachePurgeSettingsService settingsService, IPurgeIntentStore intents, OwnedPurgeIntents owned, IClock clock, IOptions<PurgeIntentOptions> options)
    {
        _dispatcher = dispatcher;
        _settingsService = settingsService;
        _intents = intents;
        _owned = owned;
        _clock = clock;
        _options = options.Value;
    }

    /// <summary>
    /// After the request that saved <paramref name="intent"/> committed: commits it to this node's engine. The intent
    /// was saved owned by this node with its lease, so only the commit number is new; it is kept in memory
    /// (<see cref="OwnedPurgeIntents"/>) until the lease task writes it with the next renewal, rather than in a second
    /// transaction per publish. One never saved (purging was off) is only committed.
    /// </summary>
    public async Task HandOverAsync(PurgeIntent intent)
    {
        var sequence = await CommitAsync(intent);
        if (intent.Id == 0)
        {
            return;
        }

        if (sequence == 0)
        {
            await _intents.DeleteAsync(intent.Id);
            return;
        }

        _owned.Took(intent.Id, sequence);
    }

    /// <summary>
    /// Takes over an intent nobody answers for (its node died, or never handed it over): commits it to this node's
    /// engine and records in the database, at once, that this node answers for it now. False when no cache took it
    /// and it was deleted.
    /// </summary>
    public async Task<bool> TakeOverAsync(PurgeIntent intent)
    {
        var sequence = await CommitAsync(intent);
        if (sequence == 0)
        {
            await _intents.DeleteAsync(intent.Id);
            return false;
        }

        Own(intent, sequence);
        await _intents.SaveNowAsync(intent);
        return true;
    }

    public async Task<bool> TryClaimAsync(PurgeIntent intent)
    {
        // The engine runs only while purging is on and configured.
        if (!await _dispatcher.UseAsync(_ => true, false))
        {
            return false;
        }

        if (intent.Owner is null)
        {
            intent.Owner = PurgeNode.Id;
            intent.LeaseUntilUtc = _clock.UtcNow + _options.IntentLease;
            _owned.Add(1);
        }

        return true;
    }

    /// <summary>
    /// Records purges this node's engine already took outside a content change (an operator's list, an API client's or
    /// a workflow's request) as an intent this node holds, saved with the scope's other changes: in a farm, another node
    /// sends them if this one dies before delivering them. Nothing is recorded when no cache took any (<paramref name="sequence"/> 0).
    /// </summary>
    public Task HoldAsync(IEnumerable<PurgeTarget> targets, string cache, long sequence)
    {
        if (sequence == 0)
        {
            return Task.CompletedTask;
        }

        var intent = new PurgeIntent { CreatedUtc = _clock.UtcNow, Cache = cache };
        foreach (var target in targets)
        {
            (target.Kind == PurgeTargetKind.Tag ? intent.Tags : intent.Urls).Add(target.Value);
        }

        Own(intent, sequence);
        return _intents.SaveAsync(intent);
    }

    /// <summary>
    /// Purges every page, from every cache or from <paramref name="cache"/> (by the site tag where pages carry it, by a
    /// BAN or a purge of everything where the cache can), and returns how, with a commit number at or above what was
    /// committed (0 when nothing was: purging off, an unknown cache, no cache able to).
    /// </summary>
    public async Task<(EverythingPurge Purge, long Sequence)> PurgeEverythingAsync(string cache)
    {
        var siteTag = await _settingsService.GetSiteTagAsync();
        return await _dispatcher.UseAsync(dispatcher =>
        {
            if (cache is not null && !dispatcher.Endpoints.Any(e => e.Name == cache))
            {
                return (new EverythingPurge(true, new Dictionary<string, PurgeEverythingMethod>()), 0L);
            }

            var (methods, sequence) = PurgeEverything(dispatcher, siteTag, cache);
            return (new EverythingPurge(true, methods), sequence);
        }, (new EverythingPurge(false, new Dictionary<string, PurgeEverythingMethod>()), 0L));
    }

    /// <summary>
    /// Commits a purge of everything on <paramref name="dispatcher"/> and returns how each cache is purged, with a commit
    /// number at or above what was committed, or 0 when no cache could take it.
    /// </summary>
    public static (IReadOnlyDictionary<string, PurgeEverythingMethod> Methods, long Sequence) PurgeEverything(PurgeDispatcher dispatcher, string siteTag, string cache)
    {
        var methods = dispatcher.PurgeEverything(siteTag, cache);
        return (methods, methods.Values.Any(m => m != PurgeEverythingMethod.NotPossible) ? dispatcher.LastSequence : 0);
    }

    /// <summary>Records a purge of everything this node's engine already took as an intent this node holds (see <see cref="HoldAsync"/>).</summary>
    public Task HoldEverythingAsync(string cache, long sequence)
    {
        if (sequence == 0)
        {
            return Task.CompletedTask;
        }

        var intent = new PurgeIntent { CreatedUtc = _clock.UtcNow, Cache = cache, Everything = true };
        Own(intent, sequence);
        return _intents.SaveAsync(intent);
    }

    private async Task<long> CommitAsync(PurgeIntent intent) => intent.Everything
        ? (await PurgeEverythingAsync(intent.Cache)).Sequence
        : await _dispatcher.CommitAsync(intent.Urls, intent.Tags, intent.Cache);

    private void Own(PurgeIntent intent, long sequence)
    {
        intent.Owner = PurgeNode.Id;
        intent.Sequence = sequence;
        intent.LeaseUntilUtc = _clock.UtcNow + _options.IntentLease;
        _owned.Add(1);
    }
}
