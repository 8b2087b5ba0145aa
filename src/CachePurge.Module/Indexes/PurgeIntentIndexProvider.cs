using CachePurge.Module.Models;
using YesSql.Indexes;

namespace CachePurge.Module.Indexes;

public sealed class PurgeIntentIndexProvider : IndexProvider<PurgeIntent>
{
    /// <summary>The YesSql collection of purge intents: tables of their own, apart from the content items'.</summary>
    public const string Collection = "CachePurge";

    public PurgeIntentIndexProvider()
    {
        CollectionName = Collection;
    }

    public override void Describe(DescribeContext<PurgeIntent> context) =>
        context.For<PurgeIntentIndex>().Map(intent => new PurgeIntentIndex
        {
            CreatedUtc = intent.CreatedUtc,
            Owner = intent.Owner,
            Sequence = intent.Sequence,
            LeaseUntilUtc = intent.LeaseUntilUtc,
        });
}
