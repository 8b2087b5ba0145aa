using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CachePurge.Core;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// The operations page shows each cache's health and last hour from what the engine really sent: a second, real Varnish
/// is stopped and started again under the site, and the charts count purges made through the page's own form.
/// </summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class OperationsHealthPageTests(OrchardSite site)
{
    private const string OperationsPage = "Admin/CachePurge/Index";

    [Fact]
    public async Task A_stopped_cache_shows_its_last_error_and_open_circuit_then_its_last_success_when_it_is_back()
    {
        await using var standby = await VarnishServer.StartAsync(site.BaseUrl.Port, OrchardSite.PolicyVcl);
        var cache = new CachePurgeCacheSettings { Name = "standby", BaseUrl = standby.BaseUrl.ToString().TrimEnd('/'), Kind = CacheKind.Varnish, TimeoutSeconds = 2 };
        await site.UpdateSettingsAsync(s => s.Caches = [.. s.Caches.Where(c => c.Name != "standby"), cache]);
        try
        {
            using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
            await standby.StopAsync();

            // More purges than the circuit needs to open: each is tried, and retried, and refused a connection.
            await PurgeThroughTheFormAsync(admin, [.. Enumerable.Range(0, 30).Select(i => $"/health-down/{i}")]);
            await WaitForAsync(h => h.Circuit == CircuitState.Open && h.LastError?.Count > 1);

            var down = await RowWhenAsync(admin, "data-circuit=\"open\"");
            Assert.Contains("data-circuit=\"open\"", down);
            Assert.Matches(@"open: purges wait until \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ, then one tests the cache", down);
            var error = Field(down, "data-last-error");
            Assert.Matches("(?i)connection refused", error);
            Assert.Matches(@"\(\d+ times since \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\)", error);
            Assert.Contains("data-journal-state=\"writable\"", down);
            Assert.Matches("data-pending-for=\"standby\">standby: \\d+ waiting<", await admin.GetStringAsync("Admin/CachePurge/Status"));

            // Back up, one more purge from the page tests the cache, closes the circuit and lets the rest go.
            var back = DateTimeOffset.UtcNow;
            await standby.StartAsync();
            await PurgeThroughTheFormAsync(admin, "/health-back");
            await WaitForAsync(h => h.Circuit == CircuitState.Closed && h.LastSuccess >= back.AddSeconds(-1));

            var up = await RowWhenAsync(admin, "data-circuit=\"closed\"");
            Assert.Contains("data-circuit=\"closed\"", up);
            var lastSuccess = DateTimeOffset.Parse(Regex.Match(up, "data-last-success=\"([^\"]+)\"").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(lastSuccess, back.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));

            // The error stays on the page, older than the success, so that the operator sees what happened.
            Assert.Matches("(?i)connection refused", Field(up, "data-last-error"));
        }
        finally
        {
            await site.UpdateSettingsAsync(s => s.Caches = [.. s.Caches.Where(c => c.Name != "standby")]);
        }
    }

    [Fact]
    public async Task The_purges_per_minute_chart_counts_the_purges_made_and_the_latency_chart_has_their_points()
    {
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        await site.WhenPurgedAsync();
        var since = DateTimeOffset.UtcNow.AddSeconds(-1);
        var before = Bars(await admin.GetStringAsync(OperationsPage), "succeeded");

        string[] paths = [.. Enumerable.Range(0, 7).Select(i => $"/chart/{Guid.NewGuid():N}/{i}")];
        await PurgeThroughTheFormAsync(admin, paths);
        await site.WhenPurgedAsync();
        var page = await admin.GetStringAsync(OperationsPage);

        // Each of the seven is charted once; anything else the site sent meanwhile (a background task's purge) is
        // charted too, and is listed under the recent requests.
        var listed = Succeeded(page, since).ToList();
        Assert.Equal(paths.Order(), listed.Where(paths.Contains).Order());
        var others = listed.Count(path => !paths.Contains(path));
        Assert.InRange(Bars(page, "succeeded").Sum() - before.Sum(), 7, 7 + others);
        var chart = Chart(page, "PurgesPerMinute");
        Assert.Contains("role=\"img\"", chart);
        Assert.Contains("<title id=\"cachepurge-purgesperminute-0-title\">Purges per minute on varnish, last hour</title>", chart);

        // A point per minute with acknowledged purges; the current minute has one, and its p95 is not below its p50.
        var p50 = Points(page, "p50");
        var p95 = Points(page, "p95");
        Assert.NotEmpty(p50);
        Assert.Equal(p50.Keys, p95.Keys);
        var latest = p50.Keys.Max();
        Assert.True(latest >= DateTimeOffset.UtcNow.AddMinutes(-2), $"latest point at {latest}");
        Assert.All(p50.Keys, minute => Assert.True(p95[minute] >= p50[minute] && p50[minute] > 0));
    }

    [Fact]
    public async Task The_last_hour_is_still_charted_after_the_settings_are_saved()
    {
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        await PurgeThroughTheFormAsync(admin, [.. Enumerable.Range(0, 3).Select(i => $"/kept/{Guid.NewGuid():N}/{i}")]);
        await site.WhenPurgedAsync();
        var before = await EngineAsync();
        var charted = Bars(await admin.GetStringAsync(OperationsPage), "succeeded").Sum();
        Assert.True(charted >= 3, $"{charted} purges charted");

        try
        {
            // A new timeout changes the engine's options: saving them replaces the engine.
            await site.UpdateSettingsAsync(s => s.Caches[0].TimeoutSeconds = 6);
            var page = await admin.GetStringAsync(OperationsPage);

            Assert.NotSame(before, await EngineAsync());
            Assert.True(Bars(page, "succeeded").Sum() >= charted, "the new engine's chart lost the old one's purges");
            Assert.Contains("data-last-success=\"2", CacheRow(page, "varnish"));
        }
        finally
        {
            await site.UpdateSettingsAsync(s => s.Caches[0].TimeoutSeconds = 5);
        }
    }

    [Fact]
    public async Task The_status_says_nothing_waits_when_every_purge_was_sent()
    {
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);
        await site.WhenPurgedAsync();

        using var response = await admin.GetAsync("Admin/CachePurge/Status");
        var status = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("<div id=\"cachepurge-status\"", status.Trim());
        Assert.Contains("data-pending=\"0\"", status);
        Assert.Contains("Nothing is waiting: every purge was sent.", status);
    }

    private static async Task PurgeThroughTheFormAsync(AdminBrowser admin, params string[] paths)
    {
        var page = await admin.GetStringAsync(OperationsPage);
        using var response = await admin.PostAsync("Admin/CachePurge/Purge", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(page),
            ["urls"] = string.Join("\n", paths),
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    /// <summary>Waits until the engine's health of the standby cache satisfies <paramref name="condition"/>.</summary>
    private async Task WaitForAsync(Func<EndpointHealth, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            EndpointHealth health = null;
            await site.InTenantAsync(async services => health = await services.GetRequiredService<TenantPurgeDispatcher>()
                .UseAsync(d => d.GetEndpointHealth().SingleOrDefault(h => h.Endpoint == "standby"), null));
            if (health is not null && condition(health))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"standby: circuit {health?.Circuit}, last error {health?.LastError}, last success {health?.LastSuccess}");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// The standby cache's entry once it shows <paramref name="mark"/>: the circuit is half-open for the moment a
    /// purge tests the cache, which a page read then shows instead.
    /// </summary>
    private static async Task<string> RowWhenAsync(AdminBrowser admin, string mark)
    {
        string row = null;
        for (var tries = 0; tries < 20 && row?.Contains(mark, StringComparison.Ordinal) != true; tries++)
        {
            await Task.Delay(tries == 0 ? 0 : 250);
            row = CacheRow(await admin.GetStringAsync(OperationsPage), "standby");
        }

        return row;
    }

    /// <summary>The pages of the recent requests to varnish, purged or not cached, since <paramref name="since"/>.</summary>
    private static IEnumerable<string> Succeeded(string page, DateTimeOffset since) =>
        Regex.Matches(page, "<tr>\\s*<td>([^<]+)</td>\\s*<td>varnish</td>\\s*<td>([^<]*)</td>\\s*<td>[^<]*</td>\\s*<td>[^<]*</td>\\s*<td class=\"outcome\">\\s*(?:purged|not cached)\\s*<")
            .Where(m => DateTimeOffset.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) >= since)
            .Select(m => WebUtility.HtmlDecode(m.Groups[2].Value));

    private async Task<PurgeDispatcher> EngineAsync()
    {
        PurgeDispatcher engine = null;
        await site.InTenantAsync(async services => engine = await services.GetRequiredService<TenantPurgeDispatcher>().UseAsync(d => d, null));
        return engine;
    }

    private static string CacheRow(string page, string cache)
    {
        var match = Regex.Match(page, $"<li class=\"list-group-item\" data-cache=\"{cache}\">.*?</li>", RegexOptions.Singleline);
        return match.Success ? match.Value : throw new InvalidOperationException($"No cache named {cache} on the page.");
    }

    /// <summary>The text of the health entry marked with <paramref name="attribute"/>, tags removed.</summary>
    private static string Field(string row, string attribute) =>
        WebUtility.HtmlDecode(Regex.Replace(Regex.Match(row, $"<dd [^>]*{attribute}[^>]*>(.*?)</dd>", RegexOptions.Singleline).Groups[1].Value, "<[^>]+>", ""));

    /// <summary>The inline SVG of the varnish cache's chart of <paramref name="kind"/>.</summary>
    private static string Chart(string page, string kind)
    {
        var match = Regex.Match(page, $"<svg [^>]*data-chart=\"{kind}\" data-chart-cache=\"varnish\".*?</svg>", RegexOptions.Singleline);
        return match.Success ? match.Value : throw new InvalidOperationException($"No {kind} chart for varnish on the page.");
    }

    private static IEnumerable<string> Series(string page, string kind, string series) =>
        Regex.Matches(Regex.Match(Chart(page, kind), $"<g [^>]*data-series=\"{series}\"[^>]*>(.*?)</g>", RegexOptions.Singleline).Groups[1].Value, "<(?:rect|circle) [^>]*>")
            .Select(m => m.Value);

    private static List<int> Bars(string page, string series) =>
        [.. Series(page, "PurgesPerMinute", series).Select(bar => int.Parse(Attribute(bar, "data-value"), CultureInfo.InvariantCulture))];

    private static Dictionary<DateTimeOffset, double> Points(string page, string series) =>
        Series(page, "Latency", series).ToDictionary(
            point => DateTimeOffset.Parse(Attribute(point, "data-minute"), CultureInfo.InvariantCulture),
            point => double.Parse(Attribute(point, "data-value"), CultureInfo.InvariantCulture));

    private static string Attribute(string element, string name) => Regex.Match(element, $"{name}=\"([^\"]*)\"").Groups[1].Value;
}
