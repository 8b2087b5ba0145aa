namespace CachePurge.Core.Tests.Infrastructure;

/// <summary>Tests marked <c>[Collection(NginxCollection.Name)]</c> share one real nginx (see <see cref="NginxFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class NginxCollection : ICollectionFixture<NginxFixture>
{
    public const string Name = "nginx";
}
