using CachePurge.Module.Services;
using CachePurge.Module.Tests.Infrastructure;

using OrchardCore.Modules;

namespace CachePurge.Module.Tests.Unit;

public sealed class PurgeUrlCollectorTests
{
    [Fact]
    public void Same_url_is_collected_once()
    {
        var collector = new PurgeUrlCollector(new FakeDocumentStore(), new FakePurgeIntentStore(), new FakePurgeIntentClaim(), new Clock());

        collector.AddUrl("/about");
        collector.AddUrl(" /about ");
        collector.AddUrl("/about");
        collector.AddUrl("");

        Assert.Equal(["/about"], collector.Urls);
    }

    [Fact]
    public void Commit_hook_is_registered_once_per_request()
    {
        var store = new FakeDocumentStore();
        var collector = new PurgeUrlCollector(store, new FakePurgeIntentStore(), new FakePurgeIntentClaim(), new Clock());

        collector.AddUrl("/a");
        collector.AddUrl("/b");
        collector.AddTag("ci-1");

        Assert.Equal(1, store.AfterCommitSuccessCount);
    }

    [Fact]
    public void Nothing_collected_registers_nothing()
    {
        var store = new FakeDocumentStore();
        _ = new PurgeUrlCollector(store, new FakePurgeIntentStore(), new FakePurgeIntentClaim(), new Clock());

        Assert.Equal(0, store.AfterCommitSuccessCount);
    }
}
