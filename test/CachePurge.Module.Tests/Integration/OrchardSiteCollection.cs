using CachePurge.Module.Tests.Infrastructure;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// One site and one Varnish for every integration test: setting up Orchard takes seconds. The browser tests share one
/// Chromium, started when the first of them asks for it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OrchardSiteCollection : ICollectionFixture<OrchardSite>, ICollectionFixture<Chromium>
{
    public const string Name = "Orchard site behind Varnish";
}
