using CachePurge.Module.Tests.Infrastructure;

namespace CachePurge.Module.Tests.Farm;

/// <summary>The farm tests share one farm: two nodes, PostgreSQL, Redis and Varnish take a while to start.</summary>
[CollectionDefinition(Name)]
public sealed class WebFarmCollection : ICollectionFixture<WebFarm>
{
    public const string Name = "Web farm";
}
