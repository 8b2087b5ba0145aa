using CachePurge.Module.Tests.Infrastructure;

namespace CachePurge.Module.Tests.Integration;

/// <summary>One site and one Varnish for every integration test: setting up Orchard takes seconds.</summary>
[CollectionDefinition(Name)]
public sealed class OrchardSiteCollection : ICollectionFixture<OrchardSite>
{
    public const string Name = "Orchard site behind Varnish";
}
