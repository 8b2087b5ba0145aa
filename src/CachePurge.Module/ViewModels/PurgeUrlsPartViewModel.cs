namespace CachePurge.Module.ViewModels;

public sealed class PurgeUrlsPartViewModel
{
    /// <summary>One URL or path per line.</summary>
    public string Urls { get; set; }
}
