using System.Net;
using System.Net.Http.Json;
using CachePurge.Module.AuditTrail.Models;
using CachePurge.Module.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.AuditTrail.Indexes;
using OrchardCore.AuditTrail.Models;
using OrchardCore.Entities;
using YesSql;

namespace CachePurge.Module.Tests.Integration;

/// <summary>With OrchardCore.AuditTrail on, what operators and clients do to the caches is recorded: who, when, what.</summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class AuditTrailTests(OrchardSite site)
{
    private const string OperationsPage = "Admin/CachePurge/Index";
    private const string SettingsPage = "Admin/Settings/CachePurge";

    [Fact]
    public async Task Purge_everything_from_the_operations_page_is_recorded_with_the_admin_and_the_methods()
    {
        await EnableAuditTrailAsync();
        var earlier = await EventIdsAsync();
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(OperationsPage);

        using var response = await admin.PostAsync("Admin/CachePurge/PurgeEverything", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(page),
            ["cache"] = "",
        });
        await site.WhenPurgedAsync();

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var recorded = Assert.Single(await EventsAsync("PurgedEverything", earlier));
        Assert.Equal("admin", recorded.UserName);
        Assert.Equal("SiteTag", Item(recorded).Methods["varnish"]);
    }

    [Fact]
    public async Task A_replay_of_dead_letters_is_recorded_with_how_many_were_queued()
    {
        await EnableAuditTrailAsync();
        var earlier = await EventIdsAsync();
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(OperationsPage);

        using var response = await admin.PostAsync("Admin/CachePurge/ReplayDeadLetters", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(page),
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var recorded = Assert.Single(await EventsAsync("DeadLettersReplayed", earlier));
        Assert.Equal("admin", recorded.UserName);
        Assert.Equal(0, Item(recorded).Count);
    }

    [Fact]
    public async Task Saving_the_settings_page_is_recorded_with_the_settings_group()
    {
        await EnableAuditTrailAsync();
        var earlier = await EventIdsAsync();
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(SettingsPage);

        using var response = await admin.PostMultipartAsync(SettingsPage, AdminBrowser.FormFields(page, "/" + SettingsPage));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var recorded = Assert.Single(await EventsAsync("SettingsUpdated", earlier));
        Assert.Equal("admin", recorded.UserName);
        Assert.Equal("CachePurge", Item(recorded).SettingsGroup);
    }

    [Fact]
    public async Task Purge_everything_through_the_api_is_recorded_with_the_client()
    {
        await EnableAuditTrailAsync();
        await site.EnsureClientsAsync();
        var earlier = await EventIdsAsync();
        using var client = await site.CreateClientAsync(ApiClients.PurgingClient);

        using var response = await client.PostAsJsonAsync("api/cachepurge/purge", new { everything = true });
        await site.WhenPurgedAsync();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var recorded = Assert.Single(await EventsAsync("PurgedEverything", earlier));
        Assert.Contains(ApiClients.PurgingClient, $"{recorded.UserName} {recorded.UserId}");
    }

    /// <summary>Enables the audit trail and waits for its tables, which its migrations create once the tenant is rebuilt.</summary>
    private async Task EnableAuditTrailAsync()
    {
        await site.EnableFeaturesAsync("OrchardCore.AuditTrail");
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await EventIdsAsync();
                return;
            }
            catch (Microsoft.Data.Sqlite.SqliteException) when (attempt < 40)
            {
                await Task.Delay(250);
            }
        }
    }

    private static AuditTrailCachePurgeEvent Item(AuditTrailEvent recorded)
    {
        Assert.True(recorded.TryGet<AuditTrailCachePurgeEvent>(out var item), "The event should carry what was done.");
        return item;
    }

    /// <summary>The module's events named <paramref name="name"/> recorded since <paramref name="earlier"/> were read.</summary>
    private async Task<IReadOnlyList<AuditTrailEvent>> EventsAsync(string name, IReadOnlySet<string> earlier) =>
        [.. (await AllEventsAsync()).Where(e => e.Name == name && !earlier.Contains(e.EventId))];

    private async Task<IReadOnlySet<string>> EventIdsAsync() => (await AllEventsAsync()).Select(e => e.EventId).ToHashSet();

    private async Task<IReadOnlyList<AuditTrailEvent>> AllEventsAsync()
    {
        IReadOnlyList<AuditTrailEvent> events = [];
        await site.InTenantAsync(async services =>
        {
            var session = services.GetRequiredService<ISession>();
            events = [.. await session.Query<AuditTrailEvent, AuditTrailEventIndex>(i => i.Category == "CachePurge", collection: AuditTrailEvent.Collection).ListAsync()];
        });
        return events;
    }
}
