using System.Security.Claims;
using CachePurge.Core;
using CachePurge.Module.AuditTrail.Models;
using CachePurge.Module.AuditTrail.Services;
using CachePurge.Module.Services;
using Microsoft.AspNetCore.Http;
using OrchardCore.AuditTrail.Services;
using OrchardCore.AuditTrail.Services.Models;

namespace CachePurge.Module.AuditTrail.Handlers;

/// <summary>Records purges of everything, replays of dead letters and saved settings as audit trail events: who, when, what.</summary>
public sealed class CachePurgeAuditTrailEventHandler : CachePurgeEventHandlerBase
{
    private readonly IAuditTrailManager _auditTrailManager;
    private readonly IHttpContextAccessor _httpContextAccessor;

    public CachePurgeAuditTrailEventHandler(IAuditTrailManager auditTrailManager, IHttpContextAccessor httpContextAccessor)
    {
        _auditTrailManager = auditTrailManager;
        _httpContextAccessor = httpContextAccessor;
    }

    public override Task PurgedEverythingAsync(string cache, IReadOnlyDictionary<string, PurgeEverythingMethod> methods) =>
        RecordAsync(CachePurgeAuditTrailEventConfiguration.PurgedEverything, new AuditTrailCachePurgeEvent
        {
            Cache = cache ?? "",
            Methods = methods.ToDictionary(m => m.Key, m => m.Value.ToString()),
        });

    public override Task DeadLettersReplayedAsync(int count) =>
        RecordAsync(CachePurgeAuditTrailEventConfiguration.DeadLettersReplayed, new AuditTrailCachePurgeEvent { Count = count });

    public override Task SettingsUpdatedAsync(string group) =>
        RecordAsync(CachePurgeAuditTrailEventConfiguration.SettingsUpdated, new AuditTrailCachePurgeEvent { SettingsGroup = group });

    private Task RecordAsync(string name, AuditTrailCachePurgeEvent item)
    {
        // A user of the admin, or an API client, whose token names the client rather than a user.
        var user = _httpContextAccessor.HttpContext?.User;
        var userId = user?.FindFirstValue(ClaimTypes.NameIdentifier) ?? user?.FindFirstValue("sub") ?? "";
        var userName = user?.Identity?.Name ?? user?.FindFirstValue("client_id") ?? userId;

        return _auditTrailManager.RecordEventAsync(new AuditTrailContext<AuditTrailCachePurgeEvent>(
            name,
            CachePurgeAuditTrailEventConfiguration.CachePurge,
            correlationId: "",
            userId,
            userName,
            item));
    }
}
