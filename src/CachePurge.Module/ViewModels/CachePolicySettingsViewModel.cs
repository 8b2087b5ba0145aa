namespace CachePurge.Module.ViewModels;

// Not sealed: Orchard builds editor shapes around a runtime proxy of the view model.
public class CachePolicySettingsViewModel
{
    public bool Enabled { get; set; }

    public int DefaultSeconds { get; set; }

    /// <summary>Empty: the home page gets the rule of the item it shows.</summary>
    public int? HomePageSeconds { get; set; }

    public int NotFoundSeconds { get; set; }

    public int RedirectSeconds { get; set; }

    public int BrowserSeconds { get; set; }

    public int StaleWhileRevalidateSeconds { get; set; }

    public int StaleIfErrorSeconds { get; set; }

    public bool SurrogateControl { get; set; }

    public bool CdnCacheControl { get; set; }

    /// <summary>One row per content type of the site, then the stored rules of types it no longer has.</summary>
    public List<CachePolicyContentTypeViewModel> ContentTypes { get; set; } = [];

    /// <summary>The stored path rules, then one empty row to add one.</summary>
    public List<CachePolicyPathViewModel> Paths { get; set; } = [];
}
