using System.Text.RegularExpressions;
using CachePurge.Core;
using CachePurge.Module.Services;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CachePurge.Module.Tests.Integration;

/// <summary>The operations page tells the admin when the engine's journal cannot be written, since when and why.</summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class JournalStatusPageTests(OrchardSite site)
{
    [Fact]
    public async Task Operations_page_says_since_when_the_journal_cannot_be_written_and_why()
    {
        string journalPath = null;
        await site.InTenantAsync(services =>
        {
            journalPath = services.GetRequiredService<CachePurgeSettingsService>().JournalPath;
            return Task.CompletedTask;
        });

        // Purging off first: the engine stops and nothing holds the journal's folder, which a read-only disk then covers.
        await SetEnabledAsync(false);
        var readOnly = SmallFileSystem.Mount(megabytes: 1, Path.GetDirectoryName(journalPath));
        try
        {
            readOnly.MakeReadOnly();
            await SetEnabledAsync(true);

            using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
            var page = await admin.GetStringAsync("Admin/CachePurge/Index");

            var line = Regex.Match(page, "<div class=\"alert alert-danger\" data-journal=\"not-writable\">(.*?)</div>", RegexOptions.Singleline).Groups[1].Value;
            Assert.Matches(@"The purge journal has not been writable since \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ", line);
            Assert.Contains("read-only", line);
            Assert.Contains("0 committed purges are kept in memory", line);
        }
        finally
        {
            await SetEnabledAsync(false);
            readOnly.Dispose();
            await SetEnabledAsync(true);
        }
    }

    /// <summary>Turns purging on or off and waits until the tenant's engine has been rebuilt for it.</summary>
    private async Task SetEnabledAsync(bool enabled)
    {
        await site.UpdateSettingsAsync(settings => settings.Enabled = enabled);
        PurgeDispatcher engine = null;
        await site.InTenantAsync(async services => engine = await services.GetRequiredService<TenantPurgeDispatcher>().UseAsync(d => d, null));
        Assert.Equal(enabled, engine is not null);
    }
}
