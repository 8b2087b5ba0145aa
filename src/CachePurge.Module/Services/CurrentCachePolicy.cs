using CachePurge.Module.Models;
using OrchardCore.Settings;

namespace CachePurge.Module.Services;

/// <summary>
/// The tenant's <see cref="CachePolicy"/>, built once per version of the site settings rather than on every response:
/// building one reads the settings and compiles their path patterns. Orchard hands out the same cached site settings
/// object until they change, so that object tells whether the policy built last is still current.
/// </summary>
public sealed class CurrentCachePolicy
{
    private Built _built;

    /// <summary>The policy of <paramref name="site"/>, which <see cref="ISiteService.GetSiteSettingsAsync"/> returned.</summary>
    public CachePolicy For(ISite site)
    {
        var built = _built;
        if (built is not null && ReferenceEquals(built.Site, site))
        {
            return built.Policy;
        }

        var policy = new CachePolicy(site.GetOrCreate<CachePolicySettings>());
        _built = new(site, policy);
        return policy;
    }

    private sealed record Built(ISite Site, CachePolicy Policy);
}
