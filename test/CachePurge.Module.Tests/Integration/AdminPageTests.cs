using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CachePurge.Core;
using CachePurge.Module.Models;
using CachePurge.Module.Services;
using CachePurge.Module.Tests.Infrastructure;
using CachePurge.Testing;
using Microsoft.Extensions.FileProviders;
using OrchardCore.Deployment;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Recipes.Models;
using OrchardCore.Recipes.Services;
using OrchardCore.Users.Models;
using OrchardCore.Users.Services;

namespace CachePurge.Module.Tests.Integration;

[Collection(OrchardSiteCollection.Name)]
public sealed class AdminPageTests
{
    private const string SettingsPage = "Admin/Settings/CachePurge";
    private const string OperationsPage = "Admin/CachePurge/Index";

    private readonly OrchardSite _site;

    public AdminPageTests(OrchardSite site)
    {
        _site = site;
    }

    [Fact]
    public async Task Settings_page_refuses_a_cache_url_that_is_not_http_and_saves_nothing()
    {
        var before = await _site.GetSettingsAsync();
        using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(SettingsPage);

        using var response = await admin.PostAsync(SettingsPage, SettingsForm(page, "ftp://127.0.0.1:6081"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Caches[0].BaseUrl: &#x27;ftp://127.0.0.1:6081&#x27; is not an http:// or https:// URL.", await response.Content.ReadAsStringAsync());
        Assert.Equal(before.Caches[0].BaseUrl, (await _site.GetSettingsAsync()).Caches[0].BaseUrl);
    }

    [Fact]
    public async Task Settings_page_shows_http2_off_and_saves_it_on()
    {
        var before = await _site.GetSettingsAsync();
        using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(SettingsPage);
        var form = SettingsForm(page, before.Caches[0].BaseUrl);
        form[form.Keys.Single(k => k.EndsWith(".Caches[0].Name", StringComparison.Ordinal)).Replace(".Name", ".Http2", StringComparison.Ordinal)] = "true";

        try
        {
            Assert.Matches("<input[^>]*Caches_0__Http2", page);
            Assert.DoesNotMatch("<input[^>]*checked=\"checked\"[^>]*Caches_0__Http2|<input[^>]*Caches_0__Http2[^>]*checked=\"checked\"", page);
            using var response = await admin.PostAsync(SettingsPage, form);

            // A saved form redirects back to the page (a refused one is shown again with 200).
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.True((await _site.GetSettingsAsync()).Caches[0].Http2);
        }
        finally
        {
            await _site.UpdateSettingsAsync(s => s.Caches[0].Http2 = false);
        }
    }

    [Theory]
    [InlineData("Headers", false)]
    [InlineData("Headers", true)]
    [InlineData("SecretHeaders", false)]
    [InlineData("SecretHeaders", true)]
    public async Task Settings_page_refuses_a_header_value_a_purge_cannot_carry_naming_the_field_and_saves_nothing(string box, bool multipart)
    {
        var before = await SnapshotAsync();
        using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(SettingsPage);
        var form = SettingsForm(page, _site.Varnish.BaseUrl.ToString().TrimEnd('/'));
        form[form.Keys.Single(k => k.EndsWith(".Caches[0].Name", StringComparison.Ordinal)).Replace(".Name", "." + box, StringComparison.Ordinal)] = "X-A: b\u00e9";

        try
        {
            using var response = multipart ? await admin.PostMultipartAsync(SettingsPage, form) : await admin.PostAsync(SettingsPage, form);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(
                $"Caches[0].{box}: the value of &#x27;X-A&#x27; has a non-ASCII character (such as an accented letter) at position 2; a header value can hold only ASCII letters, digits, punctuation and spaces.",
                await response.Content.ReadAsStringAsync());
            Assert.Equal(before, await SnapshotAsync());
        }
        finally
        {
            await RestoreAsync(before);
        }
    }

    /// <summary>
    /// The page posts multipart/form-data, which let a NUL in a name be saved; it now gets a message on the page and
    /// saves nothing. (A url-encoded post with <c>%00</c>, which the page never sends, is refused by ASP.NET Core with
    /// a 400 before any code of the site runs.)
    /// </summary>
    [Theory]
    [InlineData("Caches[0].Name", "var\0nish", "Caches[0].Name: must not contain control characters (such as NUL or a line break).")]
    [InlineData("Caches[0].Headers", "X-A: b\0c", "Caches[0].Headers: the value of &#x27;X-A&#x27; has a NUL character at position 2;")]
    [InlineData("Caches[0].SecretHeaders", "X-A: b\0c", "Caches[0].SecretHeaders: the value of &#x27;X-A&#x27; has a NUL character at position 2;")]
    [InlineData("Caches[0].PurgePathPrefix", "/pur\0ge", null)]
    [InlineData("SiteHosts", "www.exa\0mple.com", "is not a host name")]
    public async Task Settings_page_answers_a_nul_character_with_a_message_naming_the_field(string field, string value, string message)
    {
        var before = await SnapshotAsync();
        using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(SettingsPage);
        var form = SettingsForm(page, _site.Varnish.BaseUrl.ToString().TrimEnd('/'));
        var prefix = form.Keys.Single(k => k.EndsWith(".Caches[0].Name", StringComparison.Ordinal))[..^".Caches[0].Name".Length];
        form[$"{prefix}.{field}"] = value;

        try
        {
            using var response = await admin.PostMultipartAsync(SettingsPage, form);
            var answer = await response.Content.ReadAsStringAsync();

            if (message is null)
            {
                // A field of another kind of cache (here nginx's, on a Varnish cache) is ignored, NUL or not.
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            }
            else
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Contains(message, answer);
                Assert.Equal(before, await SnapshotAsync());
            }
        }
        finally
        {
            await RestoreAsync(before);
        }
    }

    [Fact]
    public async Task Settings_page_refuses_more_than_twenty_caches_with_a_message()
    {
        var before = await SnapshotAsync();
        using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(SettingsPage);
        var form = SettingsForm(page, _site.Varnish.BaseUrl.ToString().TrimEnd('/'));
        var prefix = form.Keys.Single(k => k.EndsWith(".Caches[0].Name", StringComparison.Ordinal))[..^".Caches[0].Name".Length];
        for (var i = 1; i <= 20; i++)
        {
            form[$"{prefix}.Caches[{i}].Name"] = $"varnish{i}";
            form[$"{prefix}.Caches[{i}].BaseUrl"] = "http://127.0.0.1:1";
            form[$"{prefix}.Caches[{i}].TimeoutSeconds"] = "5";
            form[$"{prefix}.Caches[{i}].MaxConcurrency"] = "1";
        }

        try
        {
            using var response = await admin.PostAsync(SettingsPage, form);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Caches: at most 20 caches can be configured; there are 21.", await response.Content.ReadAsStringAsync());
            Assert.Equal(before, await SnapshotAsync());
        }
        finally
        {
            await RestoreAsync(before);
        }
    }

    /// <summary>Twenty caches, the most there can be, make a page a browser can post: ASP.NET Core reads at most 1,024 form values.</summary>
    [Fact]
    public async Task Settings_page_with_twenty_caches_of_every_kind_saves_as_a_browser_posts_it()
    {
        var before = await SnapshotAsync();
        // Caches[1] is nginx, Caches[2] Generic, Caches[3] Varnish, Caches[4] Squid, and so on.
        CacheKind[] kinds = [CacheKind.Squid, CacheKind.Nginx, CacheKind.Generic, CacheKind.Varnish];
        await _site.UpdateSettingsAsync(s => s.Caches.AddRange(Enumerable.Range(1, 19).Select(i => new CachePurgeCacheSettings
        {
            Name = $"cache{i}", BaseUrl = $"http://127.0.0.1:{i}", Kind = kinds[i % 4], PurgePathPrefix = "/cache-purge", Method = "BAN", PathTemplate = "/p{path}",
            Headers = [new() { Name = "X-Site", Value = "example" }],
        })));

        try
        {
            var stored = await SnapshotAsync();
            using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);
            var page = await admin.GetStringAsync(SettingsPage);
            var form = AdminBrowser.FormFields(page, "/" + SettingsPage);

            using var response = await admin.PostMultipartAsync(SettingsPage, form);

            Assert.InRange(form.Count, 280, 1024);
            Assert.DoesNotContain(".Caches[20].", string.Join(" ", form.Select(f => f.Key)));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var saved = await _site.GetSettingsAsync();
            Assert.Equal(20, saved.Caches.Count);
            Assert.Equal(("/cache-purge", "BAN", "/p{path}"), (saved.Caches[1].PurgePathPrefix, saved.Caches[2].Method, saved.Caches[2].PathTemplate));
            Assert.Equal(JsonSerializer.Deserialize<CachePurgeSettings>(stored).Caches.Select(c => (c.Name, c.Kind)), saved.Caches.Select(c => (c.Name, c.Kind)));
        }
        finally
        {
            await RestoreAsync(before);
        }
    }

    [Theory]
    [InlineData(CacheKind.Squid, new[] { "ConfirmEviction" }, new[] { "PurgePathPrefix", "Method", "PathTemplate", "TagHeader", "SoftPurge", "ZoneId", "ServiceId", "ApiToken" })]
    [InlineData(CacheKind.Nginx, new[] { "PurgePathPrefix", "ConfirmEviction" }, new[] { "Method", "PathTemplate", "TagHeader", "SoftPurge", "ZoneId", "ApiToken" })]
    [InlineData(CacheKind.Generic, new[] { "Method", "PathTemplate", "TagHeader", "ConfirmEviction" }, new[] { "PurgePathPrefix", "SoftPurge", "ZoneId", "ApiToken" })]
    [InlineData(CacheKind.Varnish, new[] { "TagHeader", "SoftPurge", "ConfirmEviction" }, new[] { "PurgePathPrefix", "Method", "PathTemplate", "ZoneId", "ApiToken" })]
    [InlineData(CacheKind.Cloudflare, new[] { "ZoneId", "ApiToken", "CloudflarePlan", "ItemsPerCall", "Schemes", "NeverPurgeEverything" }, new[] { "PurgePathPrefix", "Method", "PathTemplate", "TagHeader", "SoftPurge", "ServiceId", "ConfirmEviction" })]
    [InlineData(CacheKind.Fastly, new[] { "ServiceId", "ApiToken", "ItemsPerCall", "SoftPurge", "NeverPurgeEverything" }, new[] { "PurgePathPrefix", "Method", "PathTemplate", "TagHeader", "ZoneId", "CloudflarePlan", "Schemes", "ConfirmEviction" })]
    [InlineData(CacheKind.CloudFront, new[] { "DistributionId", "AccessKeyId", "ApiToken", "ItemsPerCall", "MonthlyPathBudget", "NeverPurgeEverything" }, new[] { "PurgePathPrefix", "Method", "PathTemplate", "TagHeader", "SoftPurge", "ZoneId", "ServiceId", "CloudflarePlan", "Schemes", "ConfirmEviction" })]
    public async Task Settings_page_shows_each_cache_with_the_fields_of_its_kind_only(CacheKind kind, string[] shown, string[] hidden)
    {
        var before = await SnapshotAsync();
        await _site.UpdateSettingsAsync(s => s.Caches.Add(new() { Name = "second", BaseUrl = "http://127.0.0.1:1", Kind = kind, TagHeader = "xkey-purge" }));

        try
        {
            using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);
            var page = await admin.GetStringAsync(SettingsPage);

            Assert.All(shown, field => Assert.Contains($".Caches[1].{field}\"", page));
            Assert.All(hidden, field => Assert.DoesNotContain($"Caches[1].{field}", page));
            Assert.All(hidden, field => Assert.DoesNotContain($"Caches_1__{field}", page));

            // Nothing in the form reads as a value that is not there.
            Assert.DoesNotContain("placeholder=", page[page.IndexOf("Caches[0].Name", StringComparison.Ordinal)..]);
        }
        finally
        {
            await RestoreAsync(before);
        }
    }

    [Fact]
    public async Task Deployment_import_of_300_caches_fails_with_the_limit_and_writes_nothing()
    {
        var before = await SnapshotAsync();
        var caches = string.Join(", ", Enumerable.Range(0, 300).Select(i => $$"""{ "Name": "varnish{{i}}", "BaseUrl": "http://127.0.0.1:6081" }"""));
        var package = Directory.CreateTempSubdirectory("cachepurge-import-").FullName;
        await File.WriteAllTextAsync(Path.Combine(package, "Recipe.json"), $$"""
            { "name": "Import", "steps": [ { "name": "CachePurgeSettings", "SiteHosts": [ "www.example.com" ], "Caches": [ {{caches}} ] } ] }
            """);
        Exception failure = null;

        try
        {
            // What IDeploymentManager.ImportDeploymentPackageAsync does with an uploaded package.
            await _site.InTenantAsync(async services =>
            {
                using var files = new PhysicalFileProvider(package);
                failure = await Record.ExceptionAsync(() => services.GetServices<IDeploymentTargetHandler>().Single().ImportFromFileAsync(files));
            });

            var error = Assert.Single(Assert.IsType<RecipeExecutionException>(failure).StepResult.Errors);
            Assert.Equal("CachePurgeSettings step, Caches: at most 20 caches can be configured; there are 300.", error);
            Assert.Equal(before, await SnapshotAsync());
        }
        finally
        {
            Directory.Delete(package, recursive: true);
        }
    }

    private async Task<string> SnapshotAsync() => JsonSerializer.Serialize(await _site.GetSettingsAsync());

    private Task RestoreAsync(string snapshot) => _site.RestoreSettingsAsync(JsonSerializer.Deserialize<CachePurgeSettings>(snapshot));

    /// <summary>The settings form for one Varnish cache at <paramref name="baseUrl"/>, as the page would post it.</summary>
    internal static Dictionary<string, string> SettingsForm(string page, string baseUrl)
    {
        var prefix = AdminBrowser.FieldName(page, ".Caches[0].BaseUrl")[..^".Caches[0].BaseUrl".Length];
        return new()
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(page),
            [$"{prefix}.Enabled"] = "true",
            [$"{prefix}.SiteHosts"] = OrchardSite.Host,
            [$"{prefix}.EscalationThreshold"] = "500",
            [$"{prefix}.Caches[0].Name"] = "varnish",
            [$"{prefix}.Caches[0].BaseUrl"] = baseUrl,
            [$"{prefix}.Caches[0].Kind"] = "Varnish",
            [$"{prefix}.Caches[0].TimeoutSeconds"] = "5",
            [$"{prefix}.Caches[0].MaxConcurrency"] = "16",
            [$"{prefix}.Caches[0].RequestsPerSecond"] = "0",
            [$"{prefix}.Caches[0].PurgePathPrefix"] = "/purge",
            [$"{prefix}.Caches[0].Method"] = "PURGE",
            [$"{prefix}.Caches[0].PathTemplate"] = "{path}",
            [$"{prefix}.Caches[0].TagHeader"] = "xkey-purge",
            [$"{prefix}.Caches[0].Http2"] = "false",
            [$"{prefix}.ResponseTagHeader"] = "xkey",
            [$"{prefix}.ResponseTagSeparator"] = " ",
            [$"{prefix}.ResponseTagHeaderLimit"] = "7500",
        };
    }

    [Fact]
    public async Task Operations_page_shows_the_caches_and_a_test_reaches_varnish()
    {
        using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(OperationsPage);
        Assert.Contains(_site.Varnish.BaseUrl.ToString().TrimEnd('/'), page);

        using var response = await admin.PostAsync("Admin/CachePurge/Test", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(page),
            ["cache"] = "varnish",
        });

        var answer = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("/cachepurge-probe", answer);
        Assert.Matches(OutcomeCell("purged"), answer);
    }

    [Fact]
    public async Task Outcomes_are_shown_in_words_not_as_engine_names()
    {
        await WithSquidAsync(async admin =>
        {
            var page = await admin.GetStringAsync(OperationsPage);
            using var tested = await admin.PostLinkAsync(page, LinkHref(CacheRow(page, "squid"), "Test"));

            // Nothing listens where the Squid is said to be: the engine's Failed must read "failed".
            var answer = await tested.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, tested.StatusCode);
            Assert.Matches(OutcomeCell("failed"), answer);
            Assert.Contains("no answer", answer);
            Assert.DoesNotMatch(@"<td[^>]*>\s*(Purged|NotCached|Refused|Failed)\b", answer);
        });
    }

    [Fact]
    public async Task Purge_everything_is_not_offered_for_a_cache_that_cannot_purge_everything()
    {
        await WithSquidAsync(async admin =>
        {
            var page = await admin.GetStringAsync(OperationsPage);

            Assert.DoesNotContain("PurgeEverything", CacheRow(page, "squid"));
            Assert.Contains("Cannot purge everything at once", CacheRow(page, "squid"));
            Assert.Contains("PurgeEverything?cache=varnish", LinkHref(CacheRow(page, "varnish"), "PurgeEverything"));

            // The button for every cache names only the caches it reaches.
            var everyCache = ActionBarLink(page, "PurgeEverything");
            Assert.Contains("data-message=\"Every page of the site will be purged from varnish. Are you sure?\"", everyCache);
        });
    }

    [Fact]
    public async Task Purge_everything_posted_for_a_cache_that_cannot_sends_it_nothing_and_says_so()
    {
        await WithSquidAsync(async admin =>
        {
            var page = await admin.GetStringAsync(OperationsPage);

            using var response = await admin.PostAsync("Admin/CachePurge/PurgeEverything", new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = AdminBrowser.Token(page),
                ["cache"] = "squid",
            });

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var after = await admin.GetStringAsync(OperationsPage);
            Assert.Contains("squid cannot purge every page at once: nothing was sent to it.", after);
            Assert.Contains("0 purges waiting.", CacheRow(after, "squid"));
        });
    }

    [Fact]
    public async Task Purge_everything_asks_for_confirmation_through_TheAdmin_before_it_posts()
    {
        using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(OperationsPage);
        var row = CacheRow(page, "varnish");
        var button = Regex.Match(row, "<a [^>]*PurgeEverything[^>]*>").Value;

        // A link, not a submit button: TheAdmin shows its modal for RemoveUrl and posts it as a form for UnsafeUrl.
        Assert.Contains("data-url-af=\"RemoveUrl UnsafeUrl\"", button);
        Assert.Contains("data-title=\"Purge everything\"", button);
        Assert.Contains("data-message=\"Every page of the site will be purged from varnish. Are you sure?\"", button);
        Assert.DoesNotMatch("<button[^>]*type=\"submit\"[^>]*>\\s*Purge everything", page);

        // Confirmed, the link purges: the site tag reaches Varnish.
        using var response = await admin.PostLinkAsync(page, LinkHref(row, "PurgeEverything"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await _site.WhenPurgedAsync();
        Assert.Contains("Every page is being purged from varnish.", await admin.GetStringAsync(OperationsPage));
    }

    [Fact]
    public async Task Recent_request_for_a_published_page_shows_the_lifetime_and_rule_of_its_content_type()
    {
        var before = await _site.GetPolicyAsync();
        try
        {
            // A lifetime no other rule of the sample site gives, so that only the Page rule can show it.
            await _site.UpdatePolicyAsync(p =>
            {
                p.Enabled = true;
                p.ContentTypes = [.. p.ContentTypes.Where(r => r.ContentType != "Page"), new() { ContentType = "Page", Seconds = 7200 }];
            });
            var slug = $"policy-column-{Guid.NewGuid():N}";
            await _site.CreateAsync("Page", slug, "policy column");
            using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);

            var page = WebUtility.HtmlDecode(await admin.GetStringAsync(OperationsPage));

            var row = Regex.Match(page, $"<tr>(?:(?!</tr>).)*<td>/{slug}</td>(?:(?!</tr>).)*</tr>", RegexOptions.Singleline);
            Assert.True(row.Success, "The page's purge is listed in the recent requests.");
            Assert.Contains("Cache policy", page);
            Assert.Matches("<td class=\"cache-policy\">\\s*2 hours · the rule for content type Page\\s*</td>", row.Value);
        }
        finally
        {
            await _site.RestorePolicyAsync(before);
        }
    }

    [Fact]
    public async Task Recent_requests_are_still_listed_after_the_settings_are_saved()
    {
        var path = $"/recent-{Guid.NewGuid():N}";
        using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);
        var page = await admin.GetStringAsync(OperationsPage);
        using (var purged = await admin.PostAsync("Admin/CachePurge/Purge", new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = AdminBrowser.Token(page),
            ["urls"] = path,
        }))
        {
            Assert.Equal(HttpStatusCode.Redirect, purged.StatusCode);
        }

        await _site.WhenPurgedAsync();
        Assert.Contains(path, await admin.GetStringAsync(OperationsPage));
        var engine = await EngineAsync();

        try
        {
            // A new timeout changes the engine's options: saving them replaces the engine.
            var settingsPage = await admin.GetStringAsync(SettingsPage);
            var form = SettingsForm(settingsPage, _site.Varnish.BaseUrl.ToString().TrimEnd('/'));
            form[form.Keys.Single(k => k.EndsWith(".Caches[0].TimeoutSeconds", StringComparison.Ordinal))] = "6";
            using var saved = await admin.PostAsync(SettingsPage, form);
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

            var after = await admin.GetStringAsync(OperationsPage);
            Assert.NotSame(engine, await EngineAsync());
            Assert.Contains(path, after);
        }
        finally
        {
            await _site.UpdateSettingsAsync(s => s.Caches[0].TimeoutSeconds = 5);
        }
    }

    [Fact]
    public async Task Post_without_antiforgery_token_is_refused()
    {
        using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);

        using var response = await admin.PostAsync("Admin/CachePurge/PurgeEverything", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData(SettingsPage)]
    [InlineData(OperationsPage)]
    [InlineData("Admin/CachePurge/Status")]
    public async Task User_without_the_permission_is_forbidden(string path)
    {
        await EnsureEditorAsync();
        using var editor = await AdminBrowser.SignInAsync(_site.BaseUrl, "editor", OrchardSite.AdminPassword);

        using var response = await editor.GetAsync(path);

        // Orchard answers a forbidden admin page with its access-denied page.
        Assert.True(
            response.StatusCode == HttpStatusCode.Forbidden
            || response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location?.ToString().Contains("403", StringComparison.Ordinal) == true,
            $"{path} answered {(int)response.StatusCode} {response.Headers.Location}");
    }

    [Fact]
    public async Task Recipe_step_with_a_bad_cache_url_fails_with_the_field_and_writes_nothing()
    {
        var before = await _site.GetSettingsAsync();
        RecipeExecutionContext context = null;

        await _site.InTenantAsync(async services =>
        {
            context = new RecipeExecutionContext
            {
                Name = "CachePurgeSettings",
                Step = JsonNode.Parse("""{ "name": "CachePurgeSettings", "Caches": [ { "Name": "varnish", "BaseUrl": "not a url", "Kind": "Varnish" } ], "SiteHosts": [ "www.example.com" ] }""")!.AsObject(),
            };
            foreach (var handler in services.GetServices<IRecipeStepHandler>())
            {
                await handler.ExecuteAsync(context);
            }
        });

        var error = Assert.Single(context.Errors);
        Assert.Equal("CachePurgeSettings step, Caches[0].BaseUrl: 'not a url' is not an http:// or https:// URL.", error);
        Assert.Equal(before.Caches[0].BaseUrl, (await _site.GetSettingsAsync()).Caches[0].BaseUrl);
    }

    /// <summary>The outcome cell of a results table that reads <paramref name="word"/>.</summary>
    private static string OutcomeCell(string word) => $"<td class=\"outcome\">\\s*{word}\\s*<";

    /// <summary>The operations page's entry for one cache.</summary>
    private static string CacheRow(string page, string cache)
    {
        var match = Regex.Match(page, $"<li class=\"list-group-item\" data-cache=\"{cache}\">.*?</li>", RegexOptions.Singleline);
        return match.Success ? match.Value : throw new InvalidOperationException($"No cache named {cache} on the page.");
    }

    /// <summary>The link to <paramref name="action"/> in the action bar at the top of the page.</summary>
    private static string ActionBarLink(string page, string action)
    {
        var bar = Regex.Match(page, "<div class=\"card text-bg-theme mb-3 position-sticky action-bar\">.*?</div>\\s*</div>\\s*</div>", RegexOptions.Singleline).Value;
        return Regex.Match(bar, $"<a [^>]*/{action}\"[^>]*>").Value;
    }

    /// <summary>The address of the link to <paramref name="action"/> in <paramref name="html"/>.</summary>
    private static string LinkHref(string html, string action) =>
        Regex.Match(html, $"<a [^>]*href=\"([^\"]*/{action}\\?[^\"]*)\"").Groups[1].Value;

    /// <summary>Runs <paramref name="test"/> while the site also lists a Squid, which cannot purge everything, where nothing listens.</summary>
    private async Task WithSquidAsync(Func<AdminBrowser, Task> test)
    {
        var squid = new CachePurgeCacheSettings { Name = "squid", BaseUrl = $"http://127.0.0.1:{FreePort.Next()}", Kind = CacheKind.Squid, TimeoutSeconds = 2 };
        await _site.UpdateSettingsAsync(s => s.Caches = [.. s.Caches.Where(c => c.Name != "squid"), squid]);
        try
        {
            using var admin = await AdminBrowser.SignInAsync(_site.BaseUrl, "admin", OrchardSite.AdminPassword);
            await test(admin);
        }
        finally
        {
            await _site.UpdateSettingsAsync(s => s.Caches = [.. s.Caches.Where(c => c.Name != "squid")]);
        }
    }

    /// <summary>The tenant's engine as it is now.</summary>
    private async Task<PurgeDispatcher> EngineAsync()
    {
        PurgeDispatcher engine = null;
        await _site.InTenantAsync(async services => engine = await services.GetRequiredService<TenantPurgeDispatcher>().UseAsync(d => d, null));
        return engine;
    }

    private Task EnsureEditorAsync() => _site.InTenantAsync(async services =>
    {
        var userService = services.GetRequiredService<IUserService>();
        if (await userService.GetUserAsync("editor") is null)
        {
            var user = new User { UserName = "editor", Email = "editor@example.com", EmailConfirmed = true, RoleNames = ["Editor"] };
            await userService.CreateUserAsync(user, OrchardSite.AdminPassword, (key, message) => throw new InvalidOperationException($"{key}: {message}"));
        }
    });
}
