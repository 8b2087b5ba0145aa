using CachePurge.Module.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Users.Models;
using OrchardCore.Users.Services;

namespace CachePurge.Module.Tests.Integration;

/// <summary>
/// The sample host serves Orchard's user screens. In 3.0 the phone number validator they need is registered by the
/// host (<c>AddPhoneFormatValidator()</c>), not by the Users module; without it the user editor cannot be built.
/// </summary>
[Collection(OrchardSiteCollection.Name)]
public sealed class UserEditorTests(OrchardSite site)
{
    [Fact]
    public async Task Users_list_links_to_the_edit_page_of_a_user_which_answers_200_with_the_phone_number()
    {
        string userId = null;
        await site.InTenantAsync(async services => userId = ((User)await services.GetRequiredService<IUserService>().GetUserAsync("admin")).UserId);
        using var admin = await AdminBrowser.SignInAsync(site.BaseUrl, "admin", OrchardSite.AdminPassword);

        using var list = await admin.GetAsync("Admin/Users/Index");
        Assert.Equal(200, (int)list.StatusCode);
        Assert.Contains($"href=\"/Admin/Users/Edit/{userId}\"", await list.Content.ReadAsStringAsync());

        using var edit = await admin.GetAsync($"Admin/Users/Edit/{userId}");
        Assert.Equal(200, (int)edit.StatusCode);
        var page = await edit.Content.ReadAsStringAsync();
        Assert.Contains("name=\"User.UserName\"", page);
        Assert.Contains("name=\"User.PhoneNumber\"", page);
    }
}
