namespace CachePurge.Module.ViewModels;

// Not sealed: Orchard builds editor shapes around a runtime proxy of the view model.
public class PurgeUrlsPartViewModel
{
    /// <summary>One URL or path per line.</summary>
    public string Urls { get; set; }
}
