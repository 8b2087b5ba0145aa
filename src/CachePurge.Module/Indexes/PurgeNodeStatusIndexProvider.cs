using CachePurge.Module.Models;
using YesSql.Indexes;

namespace CachePurge.Module.Indexes;

public sealed class PurgeNodeStatusIndexProvider : IndexProvider<PurgeNodeStatus>
{
    public PurgeNodeStatusIndexProvider()
    {
        CollectionName = PurgeIntentIndexProvider.Collection;
    }

    public override void Describe(DescribeContext<PurgeNodeStatus> context) =>
        context.For<PurgeNodeStatusIndex>().Map(status => new PurgeNodeStatusIndex
        {
            Node = status.Node,
            LastSeenUtc = status.LastSeenUtc,
        });
}
