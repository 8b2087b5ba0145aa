namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>Tests marked <c>[Collection(VarnishCollection.Name)]</c> share one real varnish (see <see cref="VarnishFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class VarnishCollection : ICollectionFixture<VarnishFixture>
{
    public const string Name = "varnish";
}
