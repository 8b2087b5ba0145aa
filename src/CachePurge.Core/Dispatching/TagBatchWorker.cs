using System.Threading.Channels;

namespace CachePurge.Core.Dispatching;

/// <summary>A queue's one tag worker: it sends every tag that is waiting together, split only where the header would grow too long.</summary>
internal sealed class TagBatchWorker(
    ChannelReader<PendingPurge> ready,
    PendingPurges pending,
    SendRateLimiter rate,
    EndpointSender sender,
    int tagHeaderLimit,
    Action<PendingPurge, Delivery, long> finish)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        using var timeout = sender.CreateTimeout(stopping);
        await foreach (var first in ready.ReadAllAsync(stopping).ConfigureAwait(false))
        {
            List<PendingPurge> batch = [first];
            while (ready.TryRead(out var next))
            {
                batch.Add(next);
            }

            var sequences = new Dictionary<PendingPurge, long>();
            foreach (var entry in batch)
            {
                if (pending.TryStartFlight(entry, out var sequence))
                {
                    sequences[entry] = sequence;
                }
            }

            var inFlight = sequences.Keys.ToList();
            var offset = 0;
            foreach (var headerValue in TagHeaderSplitter.Split(inFlight.Select(p => p.Target.Value), tagHeaderLimit))
            {
                var count = headerValue.Count(c => c == ' ') + 1;
                var chunk = inFlight.GetRange(offset, count);
                offset += count;
                await rate.AcquireAsync(stopping).ConfigureAwait(false);
                var delivery = await sender.SendTagsAsync(headerValue, timeout).ConfigureAwait(false);
                foreach (var entry in chunk)
                {
                    finish(entry, delivery, sequences[entry]);
                }
            }
        }
    }
}
