namespace CachePurge.Module.ViewModels;

public class CachePolicyPathViewModel
{
    /// <summary>A path prefix (<c>/feeds</c>) or a pattern (<c>^/tags/</c>).</summary>
    public string Match { get; set; }

    public int? Seconds { get; set; }
}
