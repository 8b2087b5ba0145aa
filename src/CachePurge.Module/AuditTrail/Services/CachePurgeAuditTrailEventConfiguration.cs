using Microsoft.Extensions.Options;
using OrchardCore.AuditTrail.Services.Models;

namespace CachePurge.Module.AuditTrail.Services;

/// <summary>The audit trail's "Cache purge" category and its events, each on by default.</summary>
public sealed class CachePurgeAuditTrailEventConfiguration : IConfigureOptions<AuditTrailOptions>
{
    public const string CachePurge = nameof(CachePurge);
    public const string PurgedEverything = nameof(PurgedEverything);
    public const string DeadLettersReplayed = nameof(DeadLettersReplayed);
    public const string SettingsUpdated = nameof(SettingsUpdated);

    public void Configure(AuditTrailOptions options)
    {
        options.For<CachePurgeAuditTrailEventConfiguration>(CachePurge, S => S["Cache purge"])
            .WithEvent(PurgedEverything, S => S["Purged everything"], S => S["Every page was purged from the caches, from the operations page, a workflow or the API."], true)
            .WithEvent(DeadLettersReplayed, S => S["Dead letters replayed"], S => S["Purges the engine had given up on were queued again."], true)
            .WithEvent(SettingsUpdated, S => S["Settings updated"], S => S["The cache purge or cache policy settings were saved."], true);
    }
}
