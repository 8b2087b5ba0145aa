using CachePurge.Module.Indexes;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.BackgroundTasks;
using YesSql;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// Node statuses: each node writes what its engine holds to the tenant's database, and the operations page of any node
/// lists every node's, this one marked and the silent ones gone. Other nodes are faked by rows written as they would.
/// </summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class PurgeNodeStatusTests(OrchardSite site)
{
    [Fact]
    public async Task The_operations_page_lists_every_node_with_its_caches_and_marks_a_silent_one_gone()
    {
        await RunLeaseTaskAsync();
        var live = await SaveStatusAsync("node-b.example/4242/live", DateTime.UtcNow.AddSeconds(-20), pending: 17, inFlight: 3, error: "HTTP 503 Service Unavailable");
        var silent = await SaveStatusAsync("node-c.example/4343/silent", DateTime.UtcNow.AddMinutes(-20), pending: 5, inFlight: 0, error: null);

        try
        {
            using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
            var page = await admin.GetStringAsync("Admin/CachePurge/Index");
            var table = page[page.IndexOf("id=\"cachepurge-nodes\"", StringComparison.Ordinal)..];
            table = table[..table.IndexOf("</table>", StringComparison.Ordinal)];

            var thisNode = Row(table, PurgeNode.Id);
            Assert.Contains("data-gone=\"false\"", thisNode);
            Assert.Contains("this node", thisNode);

            var nodeB = Row(table, "node-b.example/4242/live");
            Assert.Contains("data-gone=\"false\"", nodeB);
            Assert.DoesNotContain("this node", nodeB);
            Assert.Contains("data-pending=\"17\"", nodeB);
            Assert.Contains("data-in-flight=\"3\"", nodeB);
            Assert.Contains("HTTP 503 Service Unavailable", nodeB);
            Assert.Contains("node-b.example, process 4242", nodeB);

            var nodeC = Row(table, "node-c.example/4343/silent");
            Assert.Contains("data-gone=\"true\"", nodeC);
            Assert.Contains(">gone<", nodeC);
        }
        finally
        {
            await DeleteAsync(live, silent);
        }
    }

    [Fact]
    public async Task The_lease_task_writes_this_nodes_status_once_and_not_again_while_nothing_changed()
    {
        await site.WhenPurgedAsync();
        await RunLeaseTaskAsync();
        var first = await FindOwnAsync();
        Assert.NotNull(first);
        Assert.Equal(Environment.ProcessId, first.ProcessId);
        Assert.NotEmpty(first.Caches);

        await RunLeaseTaskAsync();

        Assert.Equal(first.LastSeenUtc, (await FindOwnAsync()).LastSeenUtc);
    }

    [Fact]
    public async Task Statuses_of_nodes_silent_for_more_than_a_day_are_removed()
    {
        var old = await SaveStatusAsync("node-d.example/4444/long-gone", DateTime.UtcNow.AddDays(-2), pending: 0, inFlight: 0, error: null);

        await site.InTenantAsync(services => services.GetRequiredService<PurgeNodeStatusStore>().RemoveSeenBeforeAsync(DateTime.UtcNow - PurgeNodeReporter.ForgottenAfter));

        Assert.Null(await FindAsync("node-d.example/4444/long-gone"));
        await DeleteAsync(old);
    }

    // The rows of one node: from its first cell to the next node's first row.
    private static string Row(string table, string node)
    {
        var start = table.IndexOf($"data-node=\"{node}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{node} is listed");
        var next = table.IndexOf("data-node=\"", start + 11, StringComparison.Ordinal);
        while (next >= 0 && table.AsSpan(next).StartsWith($"data-node=\"{node}\"", StringComparison.Ordinal))
        {
            next = table.IndexOf("data-node=\"", next + 11, StringComparison.Ordinal);
        }

        return next < 0 ? table[start..] : table[start..next];
    }

    private async Task<long> SaveStatusAsync(string node, DateTime lastSeenUtc, int pending, int inFlight, string error)
    {
        var parts = node.Split('/');
        var status = new PurgeNodeStatus
        {
            Node = node,
            MachineName = parts[0],
            ProcessId = int.Parse(parts[1]),
            LastSeenUtc = lastSeenUtc,
            Caches =
            [
                new PurgeNodeCacheStatus
                {
                    Name = "varnish",
                    Pending = pending,
                    CallsInFlight = inFlight,
                    LastError = error,
                    LastErrorUtc = error is null ? null : lastSeenUtc,
                    LastErrorCount = error is null ? 0 : 4,
                    Circuit = error is null ? "Closed" : "Open",
                    JournalWritable = true,
                },
            ],
        };
        await site.InTenantAsync(services => services.GetRequiredService<PurgeNodeStatusStore>().SaveNowAsync(status));
        return status.Id;
    }

    private Task<PurgeNodeStatus> FindOwnAsync() => FindAsync(PurgeNode.Id);

    private async Task<PurgeNodeStatus> FindAsync(string node)
    {
        PurgeNodeStatus status = null;
        await site.InTenantAsync(async services => status = await services.GetRequiredService<PurgeNodeStatusStore>().FindAsync(node));
        return status;
    }

    private Task DeleteAsync(params long[] ids) => site.InTenantAsync(async services =>
    {
        var session = services.GetRequiredService<ISession>();
        foreach (var id in ids)
        {
            session.Delete(new PurgeNodeStatus { Id = id }, PurgeIntentIndexProvider.Collection);
        }

        await session.SaveChangesAsync();
    });

    /// <summary>Runs the lease task once in a scope of the site, as Orchard's scheduler does every minute.</summary>
    private Task RunLeaseTaskAsync() => site.InTenantAsync(services =>
        services.GetServices<IBackgroundTask>().OfType<PurgeIntentLeaseTask>().Single().DoWorkAsync(services, CancellationToken.None));
}
