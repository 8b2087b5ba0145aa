using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;

namespace CachePurge.Module.Tests.Farm;

/// <summary>Two real Orchard nodes on one PostgreSQL database and one Redis, behind one real Varnish: an editor on either node purges the page.</summary>
[Collection(WebFarmCollection.Name)]
public sealed class WebFarmPurgeTests(WebFarm farm)
{
    private const string HomeId = "cachepurgesamplehome";

    [Theory]
    [InlineData("a")]
    [InlineData("b")]
    public async Task Publishing_on_either_node_turns_the_cached_page_from_hit_to_miss_with_the_new_text(string nodeName)
    {
        var node = nodeName == "a" ? farm.NodeA : farm.NodeB;
        var text = $"Published on node {nodeName} {Guid.NewGuid():N}";
        await Eventually.WaitUntilAsync(async () => (await farm.GetThroughCacheAsync("/")).Hit, 10, "the home page is cached");

        await WebFarm.PublishBodyAsync(node, HomeId, $"<p>{text}</p>");

        await Eventually.WaitUntilAsync(
            async () => await farm.GetThroughCacheAsync("/") is { Hit: false, Status: 200 } page && page.Body.Contains(text, StringComparison.Ordinal),
            10,
            $"the home page is fetched anew with the text published on {node}");
    }

    [Fact]
    public async Task The_operations_page_of_node_a_lists_node_b_and_its_caches()
    {
        using var admin = await AdminBrowser.SignInAsync(farm.NodeA.BaseUrl, "admin", OrchardSite.AdminPassword);
        var nodes = "";

        // Node B writes its status when its engine starts, and its lease task at Orchard's next minute tick at the latest.
        await Eventually.WaitUntilAsync(
            async () =>
            {
                var page = await admin.GetStringAsync("Admin/CachePurge/Index");
                var start = page.IndexOf("id=\"cachepurge-nodes\"", StringComparison.Ordinal);
                nodes = start < 0 ? "" : page[start..page.IndexOf("</table>", start, StringComparison.Ordinal)];
                return nodes.Contains($", process {farm.NodeB.ProcessId}<", StringComparison.Ordinal);
            },
            90,
            "node A's operations page lists node B");

        var nodeB = nodes[nodes.LastIndexOf("<tr data-node=", nodes.IndexOf($", process {farm.NodeB.ProcessId}<", StringComparison.Ordinal), StringComparison.Ordinal)..];
        Assert.StartsWith("<tr data-node=", nodeB);
        Assert.Contains("data-gone=\"false\"", nodeB[..nodeB.IndexOf('>')]);
        Assert.DoesNotContain("this node", nodeB[..nodeB.IndexOf("</td>", StringComparison.Ordinal)]);
        Assert.Contains("data-pending=", nodeB);

        var nodeA = nodes[nodes.IndexOf("<tr data-node=", StringComparison.Ordinal)..];
        Assert.Contains($", process {farm.NodeA.ProcessId}<", nodeA[..nodeA.IndexOf("</td>", StringComparison.Ordinal)]);
        Assert.Contains("this node", nodeA[..nodeA.IndexOf("</td>", StringComparison.Ordinal)]);
    }
}
