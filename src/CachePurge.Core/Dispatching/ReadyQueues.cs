using System.Threading.Channels;
using CachePurge.Core.Protocols;

namespace CachePurge.Core.Dispatching;

/// <summary>
/// The entries waiting for a worker: tags go to the one worker that sends them together; paths go to batch workers
/// where the backend takes several in one call, else, with purges of everything, to the workers that send one at a time.
/// </summary>
internal sealed class ReadyQueues(BackendCapabilities capabilities)
{
    private readonly Channel<PendingPurge> _single = Channel.CreateUnbounded<PendingPurge>(new() { SingleWriter = false });
    private readonly Channel<PendingPurge> _paths = Channel.CreateUnbounded<PendingPurge>(new() { SingleWriter = false });
    private readonly Channel<PendingPurge> _tags = Channel.CreateUnbounded<PendingPurge>(new() { SingleWriter = false, SingleReader = true });

    public ChannelReader<PendingPurge> Single => _single.Reader;

    public ChannelReader<PendingPurge> BatchedPaths => _paths.Reader;

    public ChannelReader<PendingPurge> Tags => _tags.Reader;

    /// <summary>Queues <paramref name="pending"/> for sending; called under the queue's lock.</summary>
    public void Ready(PendingPurge pending)
    {
        pending.State = PendingState.Queued;
        var channel = pending.Target.Kind switch
        {
            PurgeTargetKind.Tag => _tags,
            PurgeTargetKind.Path when capabilities.BatchesPaths => _paths,
            _ => _single,
        };
        channel.Writer.TryWrite(pending);
    }

    public void Complete()
    {
        _single.Writer.TryComplete();
        _paths.Writer.TryComplete();
        _tags.Writer.TryComplete();
    }
}
