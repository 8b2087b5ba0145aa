namespace CachePurge.Module.Services;

/// <summary>
/// The ids of the content items the current request displays, whether built now or read from Orchard's dynamic cache.
/// They are the tenant's own ids; <see cref="ContentTagHeader"/> turns them into the tenant's tags.
/// </summary>
public sealed class DisplayedContentItems
{
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Ids => _ids;

    public void Add(string contentItemId)
    {
        if (ContentTags.IsToken(contentItemId))
        {
            _ids.Add(contentItemId);
        }
    }

    /// <summary>Adds the items named by Orchard dependency tags (<c>contentitemid:&lt;id&gt;</c>); other tags are ignored.</summary>
    public void AddDependencies(IEnumerable<string> dependencies)
    {
        foreach (var dependency in dependencies)
        {
            if (dependency?.StartsWith(ContentTags.OrchardDependencyPrefix, StringComparison.OrdinalIgnoreCase) == true)
            {
                Add(dependency[ContentTags.OrchardDependencyPrefix.Length..]);
            }
        }
    }
}
