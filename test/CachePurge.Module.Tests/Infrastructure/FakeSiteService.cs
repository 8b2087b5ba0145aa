using OrchardCore.Settings;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>Site settings held in memory.</summary>
public sealed class FakeSiteService : ISiteService
{
    public SiteSettings Site { get; } = new() { BaseUrl = "https://www.example.com" };

    public Task<ISite> LoadSiteSettingsAsync() => Task.FromResult<ISite>(Site);

    public Task<ISite> GetSiteSettingsAsync() => Task.FromResult<ISite>(Site);

    public Task UpdateSiteSettingsAsync(ISite site) => Task.CompletedTask;
}
