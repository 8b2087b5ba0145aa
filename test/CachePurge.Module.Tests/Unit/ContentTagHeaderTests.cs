using CachePurge.Module.Services;

namespace CachePurge.Module.Tests.Unit;

public sealed class ContentTagHeaderTests
{
    [Fact]
    public void Header_lists_the_site_tag_then_one_tag_per_item_in_order()
    {
        var (value, overflowed) = ContentTagHeader.Build("Default", ["b2", "a1"], " ", 7500);

        Assert.Equal("site-Default ci-Default-a1 ci-Default-b2", value);
        Assert.False(overflowed);
    }

    [Fact]
    public void Header_uses_the_configured_separator()
    {
        Assert.Equal("site-Default,ci-Default-a1", ContentTagHeader.Build("Default", ["a1"], ",", 7500).Value);
    }

    [Fact]
    public void Header_over_the_limit_carries_only_the_site_tag()
    {
        var ids = Enumerable.Range(0, 400).Select(i => $"item{i:D22}").ToList();

        var (value, overflowed) = ContentTagHeader.Build("Default", ids, " ", 7500);

        Assert.Equal("site-Default", value);
        Assert.True(overflowed);
    }

    [Fact]
    public void Orchard_dependency_tags_name_displayed_items_and_other_tags_are_ignored()
    {
        var displayed = new DisplayedContentItems();

        displayed.AddDependencies(["contentitemid:abc", "alias:home", "contentitemid:bad id", "ContentItemId:def"]);

        Assert.Equal(["abc", "def"], displayed.Ids.Order());
    }
}
