using CachePurge.Module.Models;
using OrchardCore.Environment.Extensions.Features;
using OrchardCore.Environment.Shell;

namespace CachePurge.Module.Services;

/// <summary>
/// Reports enabling or disabling a feature, from Orchard's feature events, as a site-wide change. Orchard raises
/// "enabling" and "disabling" in the request that changes the features, before it saves the tenant's descriptor and
/// releases the tenant; the purge is sent after that, from the new tenant.
/// </summary>
public sealed class SiteChangeFeatureEventHandler : FeatureEventHandler
{
    private readonly SiteChangeCollector _collector;

    public SiteChangeFeatureEventHandler(SiteChangeCollector collector)
    {
        _collector = collector;
    }

    public override Task EnablingAsync(IFeatureInfo feature)
    {
        _collector.Add(SiteChangeKind.Features);
        return Task.CompletedTask;
    }

    public override Task DisablingAsync(IFeatureInfo feature)
    {
        _collector.Add(SiteChangeKind.Features);
        return Task.CompletedTask;
    }
}
