using System.Threading.Channels;

namespace CachePurge.Core.Dispatching;

/// <summary>The entries waiting for a worker: tags go to the one worker that sends them together, the rest to the path workers.</summary>
internal sealed class ReadyQueues
{
    private readonly Channel<PendingPurge> _single = Channel.CreateUnbounded<PendingPurge>(new() { SingleWriter = false });
    private readonly Channel<PendingPurge> _tags = Channel.CreateUnbounded<PendingPurge>(new() { SingleWriter = false, SingleReader = true });

    public ChannelReader<PendingPurge> Single => _single.Reader;

    public ChannelReader<PendingPurge> Tags => _tags.Reader;

    /// <summary>Queues <paramref name="pending"/> for sending; called under the queue's lock.</summary>
    public void Ready(PendingPurge pending)
    {
        pending.State = PendingState.Queued;
        (pending.Target.Kind == PurgeTargetKind.Tag ? _tags : _single).Writer.TryWrite(pending);
    }

    public void Complete()
    {
        _single.Writer.TryComplete();
        _tags.Writer.TryComplete();
    }
}
