using CachePurge.Module.Services;

namespace CachePurge.Module.Tests.Unit;

public sealed class ContentTagsTests
{
    [Theory]
    [InlineData("Default", "4x2k9fsmq", "ci-Default-4x2k9fsmq", "site-Default")]
    [InlineData("Blog", "4x2k9fsmq", "ci-Blog-4x2k9fsmq", "site-Blog")]
    [InlineData("shop_2", "cachepurgesampleabout", "ci-shop_2-cachepurgesampleabout", "site-shop_2")]
    [InlineData("Café", "4x2k9fsmq", "ci-Caf%C3%A9-4x2k9fsmq", "site-Caf%C3%A9")]
    [InlineData("a-b", "c", "ci-a%2Db-c", "site-a%2Db")]
    [InlineData("100%", "c", "ci-100%25-c", "site-100%25")]
    public void Tags_name_the_tenant_as_a_single_ascii_token(string tenant, string id, string itemTag, string siteTag)
    {
        Assert.Equal(itemTag, ContentTags.ForContentItem(tenant, id));
        Assert.Equal(siteTag, ContentTags.ForSite(tenant));
        Assert.True(ContentTags.IsToken(itemTag));
        Assert.True(ContentTags.IsToken(siteTag));
    }

    [Fact]
    public void The_same_item_id_in_two_tenants_has_two_tags()
    {
        Assert.NotEqual(ContentTags.ForContentItem("Default", "cachepurgesampleabout"), ContentTags.ForContentItem("Blog", "cachepurgesampleabout"));
    }

    [Fact]
    public void A_tenant_name_and_an_id_that_run_together_cannot_make_another_tenants_tag()
    {
        Assert.NotEqual(ContentTags.ForContentItem("a", "b-c"), ContentTags.ForContentItem("a-b", "c"));
    }
}
