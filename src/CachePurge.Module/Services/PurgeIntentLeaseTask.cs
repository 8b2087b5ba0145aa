using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrchardCore.BackgroundTasks;
using OrchardCore.Modules;

namespace CachePurge.Module.Services;

/// <summary>
/// On every node, every minute: forgets the purge intents this node's engine has settled (every purge acknowledged,
/// dead-lettered or committed again since) and renews the lease of the others, so that no other node takes them over
/// while this one lives. A tenant whose engine holds none does not query them. It also writes what this node's engine
/// holds for the other nodes' operations pages (<see cref="PurgeNodeReporter"/>).
/// </summary>
[BackgroundTask(
    Title = "Cache purge leases",
    Schedule = "* * * * *",
    Description = "Forgets the cache purges this node has delivered and keeps answering for those it has not yet.")]
public sealed class PurgeIntentLeaseTask : IBackgroundTask
{
    private readonly IClock _clock;

    public PurgeIntentLeaseTask(IClock clock)
    {
        _clock = clock;
    }

    public async Task DoWorkAsync(IServiceProvider serviceProvider, CancellationToken cancellationToken)
    {
        // Written only when it changed or is due as a heartbeat: an idle tenant writes once a lease period.
        await serviceProvider.GetRequiredService<PurgeNodeReporter>().ReportAsync(serviceProvider);

        var ownedIntents = serviceProvider.GetRequiredService<OwnedPurgeIntents>();
        if (!ownedIntents.Any)
        {
            return;
        }

        // With purging turned off since, nothing is left to deliver: everything counts as settled.
        var settled = await serviceProvider.GetRequiredService<TenantPurgeDispatcher>().UseAsync(d => d.GetSettledSequence(), long.MaxValue);
        var intents = serviceProvider.GetRequiredService<IPurgeIntentStore>();

        var options = serviceProvider.GetRequiredService<IOptions<PurgeIntentOptions>>().Value;
        var leaseUntil = _clock.UtcNow + options.IntentLease;
        var owned = (await intents.ListOwnedAsync(PurgeNode.Id)).ToList();
        foreach (var intent in owned.Where(intent => intent.Sequence == 0).ToList())
        {
            // Saved with a request's changes, owned by this node: its commit number is here since the hand-over. One
            // not handed over well after its request (the deferred task failed) is committed now.
            if (ownedIntents.TryGetSequence(intent.Id, out var sequence))
            {
                intent.Sequence = sequence;
            }
            else if (intent.CreatedUtc < _clock.UtcNow - options.IntentHandOverTime
                && !await serviceProvider.GetRequiredService<PurgeIntentHandOver>().TakeOverAsync(intent))
            {
                owned.Remove(intent);
            }
        }

        var done = owned.Where(intent => intent.Sequence != 0 && intent.Sequence <= settled).ToList();
        var held = owned.Except(done).ToList();
        foreach (var intent in held)
        {
            intent.LeaseUntilUtc = leaseUntil;
        }

        await intents.SettleAsync(done, held);
        ownedIntents.Forget(done.Select(intent => intent.Id));
        ownedIntents.Set(held.Count);
    }
}
