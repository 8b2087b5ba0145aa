using CachePurge.Module.Models;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace CachePurge.Module.ViewModels;

// Not sealed: Orchard builds editor shapes around a runtime proxy of the view model.
public class CachePurgeSettingsViewModel
{
    public bool Enabled { get; set; }

    /// <summary>One host name per line.</summary>
    public string SiteHosts { get; set; }

    public int EscalationThreshold { get; set; }

    public string ResponseTagHeader { get; set; }

    public string ResponseTagSeparator { get; set; }

    public int ResponseTagHeaderLimit { get; set; }

    public List<CachePurgeCacheViewModel> Caches { get; set; } = [];

    /// <summary>A form that leaves a switch out keeps it on, as it is by default.</summary>
    public CachePurgeSiteChangeSettings SiteChanges { get; set; } = new();

    /// <summary>The host used when none is listed, shown as a hint.</summary>
    [BindNever]
    public string DefaultSiteHosts { get; set; }
}
