using System.Text.RegularExpressions;
using CachePurge.Module.Tests.Infrastructure;

namespace CachePurge.Module.Tests.Integration;

[Collection(OrchardSiteCollection.Name)]
public sealed class PurgeUrlsPartEditorTests(OrchardSite site)
{
    [Fact]
    public async Task Editor_renders_in_its_own_tab_with_the_ocat_markup_of_3_0_and_nothing_else()
    {
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);

        var page = await admin.GetStringAsync("Admin/Contents/ContentItems/cachepurgesampleabout/Edit");

        // The whole "Cache" tab, from its opening to its closing tag: TheAdmin's fixed classes, as OrchardCore.Alias
        // uses them, and no other classes or text that a removed 2.x class helper (GetWrapperClasses...) would leave.
        Assert.Matches(new Regex(
            """<div class="tab-pane fade" id="tab-cache-cachepurgesampleabout">\s*"""
            + """<div class="ocat-wrapper">\s*"""
            + """<label (?=[^>]*class="ocat-label")(?=[^>]*for="PurgeUrlsPart_Urls")[^>]*>Also purge these pages</label>\s*"""
            + """<div class="ocat-end">\s*"""
            + """<textarea (?=[^>]*class="form-control")(?=[^>]*name="PurgeUrlsPart.Urls")[^>]*>\s*/</textarea>\s*"""
            + """<span class="hint">[^<]+</span>\s*"""
            + """</div>\s*</div>\s*</div>"""), page);
    }
}
