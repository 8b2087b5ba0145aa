using Microsoft.Extensions.DependencyInjection;
using OrchardCore.Autoroute.Models;
using OrchardCore.ContentManagement;
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
