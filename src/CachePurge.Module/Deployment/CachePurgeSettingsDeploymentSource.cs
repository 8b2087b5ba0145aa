using System.Text.Json;
using System.Text.Json.Nodes;
using CachePurge.Module.Models;
using CachePurge.Module.Recipes;
using CachePurge.Module.Services;
using OrchardCore.Deployment;

namespace CachePurge.Module.Deployment;

public sealed class CachePurgeSettingsDeploymentSource : DeploymentSourceBase<CachePurgeSettingsDeploymentStep>
{
    private readonly CachePurgeSettingsService _settingsService;

    public CachePurgeSettingsDeploymentSource(CachePurgeSettingsService settingsService)
    {
        _settingsService = settingsService;
    }

    protected override async Task ProcessAsync(CachePurgeSettingsDeploymentStep step, DeploymentPlanResult result)
    {
        var (settings, _) = await _settingsService.GetSettingsAsync();

        // Work on a copy: the site settings object is shared through the cache.
        var export = JsonSerializer.Deserialize<CachePurgeSettings>(JsonSerializer.Serialize(settings));
        foreach (var header in export.Caches.SelectMany(c => c.Headers).Where(h => h.Secret))
        {
            // Protected values are useless elsewhere (other keys); the importing step protects plain text again.
            header.Value = step.IncludeSecrets ? _settingsService.UnprotectSecret(header.Value) : "";
        }

        foreach (var cache in export.Caches)
        {
            // API tokens (and Akamai's client and access tokens) are never exported, not even with IncludeSecrets: a CDN token can purge a whole zone, and an
            // import onto the same site keeps the token it has; elsewhere the token is entered again.
            foreach (var secret in CacheSecret.All)
            {
                secret.Set(cache, "");
            }
        }

        var json = JsonSerializer.SerializeToNode(export)!.AsObject();
        json.Insert(0, "name", CachePurgeSettingsStep.Name);
        result.Steps.Add(json);
    }
}
