using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Autoroute.Models;
using OrchardCore.ContentManagement;
using OrchardCore.ContentManagement.Metadata;
using OrchardCore.ContentManagement.Metadata.Settings;
using OrchardCore.Html.Models;
using OrchardCore.Html.Settings;
using OrchardCore.Environment.Shell;
using OrchardCore.Title.Models;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>Content changes on the test site, made the way a request makes them: inside a tenant scope that commits at its end.</summary>
public static class SiteContent
{
    /// <summary>Creates and publishes an item of <paramref name="type"/> at <paramref name="path"/>, waits for its purges, and returns its id.</summary>
    public static async Task<string> CreateAsync(this OrchardSite site, string type, string path, string title, Action<ContentItem> configure = null)
    {
        string id = null;
        await site.InTenantAsync(async services =>
        {
            var contentManager = services.GetRequiredService<IContentManager>();
            var item = await contentManager.NewAsync(type);
            item.DisplayText = title;
            item.Alter<TitlePart>(p => p.Title = title);
            item.Alter<AutoroutePart>(p => p.Path = path);
            configure?.Invoke(item);
            await contentManager.CreateAsync(item, VersionOptions.Published);
            id = item.ContentItemId;
        });
        await site.WhenPurgedAsync();
        return id;
    }

    /// <summary>
    /// Adds the content type <c>FormPage</c>, whose body is rendered as Liquid, so that <c>{% antiforgerytoken %}</c>
    /// in it makes a page with a form as the Forms module would.
    /// </summary>
    public static Task EnsureFormPageTypeAsync(this OrchardSite site) => site.InTenantAsync(async services =>
    {
        var definitions = services.GetRequiredService<IContentDefinitionManager>();
        if (await definitions.GetTypeDefinitionAsync("FormPage") is not null)
        {
            return;
        }

        await definitions.AlterTypeDefinitionAsync("FormPage", type => type
            .Creatable()
            .WithPart("TitlePart")
            .WithPart("AutoroutePart", part => part.WithSettings(new AutoroutePartSettings { AllowCustomPath = true }))
            .WithPart("HtmlBodyPart", part => part.WithSettings(new HtmlBodyPartSettings { RenderLiquid = true, SanitizeHtml = false })));
    });

    /// <summary>Publishes a new body for the item, then fails the request, as a request whose later work throws; returns the exception.</summary>
    public static Task<InvalidOperationException> PublishThenFailAsync(this OrchardSite site, string id) =>
        Assert.ThrowsAsync<InvalidOperationException>(() => site.InTenantAsync(async services =>
        {
            var contentManager = services.GetRequiredService<IContentManager>();
            var item = await contentManager.GetAsync(id, VersionOptions.DraftRequired);
            item.Alter<HtmlBodyPart>(p => p.Html = "<p>never saved</p>");
            await contentManager.UpdateAsync(item);
            await contentManager.PublishAsync(item);
            throw new InvalidOperationException("The request fails after publishing.");
        }));

    /// <summary>Changes the item in a new draft and publishes it, as an editor's "Publish" does (on the default tenant unless <paramref name="tenant"/> is given).</summary>
    public static Task PublishEditAsync(this OrchardSite site, string id, Action<ContentItem> change, string tenant = ShellSettings.DefaultShellName) => site.InTenantAsync(async services =>
    {
        var contentManager = services.GetRequiredService<IContentManager>();
        var item = await contentManager.GetAsync(id, VersionOptions.DraftRequired);
        change(item);
        await contentManager.UpdateAsync(item);
        await contentManager.PublishAsync(item);
    }, tenant);
}
