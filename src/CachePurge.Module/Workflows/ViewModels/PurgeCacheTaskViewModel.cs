namespace CachePurge.Module.Workflows.ViewModels;

// Not sealed: Orchard builds the editor shape as a proxy of its view model.
public class PurgeCacheTaskViewModel
{
    public string Urls { get; set; }

    public string Tags { get; set; }

    public bool Everything { get; set; }

    public string Cache { get; set; }

    /// <summary>The caches of the settings, for the choice of one.</summary>
    public IReadOnlyList<string> Caches { get; set; } = [];
}
