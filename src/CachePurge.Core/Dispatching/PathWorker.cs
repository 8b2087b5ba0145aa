using System.Threading.Channels;

namespace CachePurge.Core.Dispatching;

/// <summary>One of a queue's workers that send a target at a time: a path on every host, or everything.</summary>
internal sealed class PathWorker(
    ChannelReader<PendingPurge> ready,
    PendingPurges pending,
    PurgeRateBudget rate,
    CallSizes sizes,
    EndpointSender sender,
    Func<long> currentSequence,
    Action<PendingPurge, Delivery, long> finish)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        using var timeout = sender.CreateTimeout(stopping);
        await foreach (var next in ready.ReadAllAsync(stopping).ConfigureAwait(false))
        {
            if (!pending.TryStartFlight(next, out var sequence))
            {
                continue;
            }

            await rate.AcquireAsync(next.Target.Kind, sizes.Urls(next.Target.Kind, 1), stopping).ConfigureAwait(false);

            // A purge of everything covers every commit so far, not only those of the paths it replaced.
            var deliveredSequence = next.Target.Kind == PurgeTargetKind.Everything ? currentSequence() : sequence;
            var delivery = await sender.SendAsync(next.Target, timeout).ConfigureAwait(false);
            finish(next, delivery, deliveredSequence);
        }
    }
}
