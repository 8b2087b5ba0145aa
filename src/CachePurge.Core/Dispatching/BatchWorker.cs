using System.Threading.Channels;
using CachePurge.Core.Protocols;

namespace CachePurge.Core.Dispatching;

/// <summary>
/// A worker that sends the ready targets of one kind together: it takes what is waiting, as much as
/// <see cref="CallSizes.MaxTaken"/> allows, and sends it in as few calls as the backend takes.
/// </summary>
internal sealed class BatchWorker(
    PurgeTargetKind kind,
    ChannelReader<PendingPurge> ready,
    CallSizes sizes,
    PendingPurges pending,
    PurgeRateBudget rate,
    EndpointSender sender,
    Action<PendingPurge, Delivery, long> finish)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        using var timeout = sender.CreateTimeout(stopping);
        var maxTaken = sizes.MaxTaken(kind);
        await foreach (var first in ready.ReadAllAsync(stopping).ConfigureAwait(false))
        {
            List<PendingPurge> batch = [first];
            while (batch.Count < maxTaken && ready.TryRead(out var next))
            {
                batch.Add(next);
            }

            List<PendingPurge> inFlight = [];
            List<long> sequences = [];
            foreach (var entry in batch)
            {
                if (pending.TryStartFlight(entry, out var sequence))
                {
                    inFlight.Add(entry);
                    sequences.Add(sequence);
                }
            }

            var offset = 0;
            foreach (var call in sizes.Split(kind, [.. inFlight.Select(p => p.Target.Value)]))
            {
                await rate.AcquireAsync(kind, sizes.Urls(kind, call.Count), stopping).ConfigureAwait(false);
                var delivery = await sender.SendBatchAsync(kind, call, timeout).ConfigureAwait(false);
                for (var i = offset; i < offset + call.Count; i++)
                {
                    finish(inFlight[i], delivery, sequences[i]);
                }

                offset += call.Count;
            }
        }
    }
}
