using CachePurge.Module.Handlers;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OrchardCore.Autoroute.Models;
using OrchardCore.ContentManagement;
using OrchardCore.ContentManagement.Handlers;
using OrchardCore.ContentManagement.Routing;
using OrchardCore.Environment.Shell;

using OrchardCore.Modules;

namespace CachePurge.Module.Tests.Unit;

public sealed class ContentHandlerTests
{
    private readonly FakeSiteService _siteService = new();
    private readonly FakePurgeIntentStore _intents = new();
    private readonly PurgeUrlCollector _collector;
    private readonly CachePurgeContentHandler _handler;

    public ContentHandlerTests()
    {
        _collector = new(new FakeDocumentStore(), _intents, new FakePurgeIntentClaim(), new Clock());
        var serviceProvider = new ServiceCollection().BuildServiceProvider();
        _handler = new CachePurgeContentHandler(
            serviceProvider,
            _collector,
            new ContentPurgeTargets(serviceProvider, _siteService, new ShellSettings { Name = "Default" }, Options.Create(new AutorouteOptions { ContentItemIdKey = "contentItemId" })));
    }

    [Fact]
    public async Task Publish_collects_the_route_and_the_item_tag()
    {
        await _handler.PublishedAsync(new PublishContentContext(Page("about"), null));

        Assert.Equal(["/about"], _collector.Urls);
        Assert.Equal(["ci-Default-item1"], _collector.Tags);
        var intent = Assert.Single(_intents.Saved);
        Assert.Equal(["/about"], intent.Urls);
        Assert.Equal(["ci-Default-item1"], intent.Tags);
    }

    [Fact]
    public async Task Publish_after_a_slug_change_collects_the_old_route_too()
    {
        await _handler.PublishedAsync(new PublishContentContext(Page("about-us"), Page("about")));

        Assert.Equal(["/about-us", "/about"], _collector.Urls);
    }

    [Fact]
    public async Task Home_page_collects_the_root()
    {
        _siteService.Site.HomeRoute = new RouteValueDictionary { ["contentItemId"] = "item1" };

        await _handler.PublishedAsync(new PublishContentContext(Page("home"), null));

        Assert.Equal(["/home", "/"], _collector.Urls);
    }

    [Fact]
    public async Task Item_without_route_collects_its_tag_only()
    {
        var item = new ContentItem { Id = 7, ContentItemId = "item1", ContentType = "Widget" };

        await _handler.PublishedAsync(new PublishContentContext(item, null));

        Assert.Empty(_collector.Urls);
        Assert.Equal(["ci-Default-item1"], _collector.Tags);
    }

    [Fact]
    public async Task Extra_urls_of_the_item_are_collected()
    {
        var item = Page("about");
        item.Apply(new PurgeUrlsPart { Urls = ["/", "https://www.example.com/news"] });

        await _handler.UnpublishedAsync(new PublishContentContext(item, item));

        Assert.Equal(["/about", "/", "https://www.example.com/news"], _collector.Urls);
    }

    [Fact]
    public async Task Item_never_saved_collects_nothing()
    {
        var item = Page("preview");
        item.Id = 0;

        await _handler.PublishedAsync(new PublishContentContext(item, null));

        Assert.Empty(_collector.Urls);
        Assert.Empty(_collector.Tags);
    }

    [Fact]
    public async Task Removing_a_draft_while_a_version_stays_collects_nothing()
    {
        await _handler.RemovedAsync(new RemoveContentContext(Page("about"), noActiveVersionLeft: false));

        Assert.Empty(_collector.Urls);
    }

    [Fact]
    public async Task Removing_the_last_version_collects_its_route()
    {
        var item = Page("about");
        item.Published = true;

        await _handler.RemovingAsync(new RemoveContentContext(item, noActiveVersionLeft: true));
        await _handler.RemovedAsync(new RemoveContentContext(item, noActiveVersionLeft: true));

        Assert.Equal(["/about"], _collector.Urls);
    }

    private static ContentItem Page(string path)
    {
        var item = new ContentItem { Id = 42, ContentItemId = "item1", ContentType = "Page" };
        item.Apply(new AutoroutePart { Path = path });
        return item;
    }
}
