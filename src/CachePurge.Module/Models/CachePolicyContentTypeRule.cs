namespace CachePurge.Module.Models;

/// <summary>The shared lifetime of the pages that display an item of <see cref="ContentType"/>.</summary>
public sealed class CachePolicyContentTypeRule
{
    /// <summary>The content type's technical name, e.g. <c>Article</c>.</summary>
    public string ContentType { get; set; } = "";

    public int Seconds { get; set; }
}
