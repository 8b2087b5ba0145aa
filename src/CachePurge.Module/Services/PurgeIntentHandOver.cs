using CachePurge.Core;
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

    public async Task HandOverAsync(PurgeIntent intent)
    {
        var sequence = intent.Everything
            ? (await PurgeEverythingAsync(intent.Cache)).Sequence
            : await _dispatcher.CommitAsync(intent.Urls, intent.Tags, intent.Cache);
        if (sequence == 0)
        {
            await _intents.DeleteAsync(intent.Id);
            return;
        }

        Own(intent, sequence);
        await _intents.SaveNowAsync(intent);
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

    private void Own(PurgeIntent intent, long sequence)
    {
        intent.Owner = PurgeNode.Id;
        intent.Sequence = sequence;
        intent.LeaseUntilUtc = _clock.UtcNow + _options.IntentLease;
        _owned.Add(1);
    }
}
