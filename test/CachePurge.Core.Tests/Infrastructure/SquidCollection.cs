namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>Tests marked <c>[Collection(SquidCollection.Name)]</c> share one real squid (see <see cref="SquidFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class SquidCollection : ICollectionFixture<SquidFixture>
{
    public const string Name = "squid";
}
