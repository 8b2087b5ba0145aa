namespace CachePurge.Module.Services;

/// <summary>
/// The ids of the content items the current request displays, whether built now or read from Orchard's dynamic cache.
/// They are the tenant's own ids; <see cref="ContentTagHeader"/> turns them into the tenant's tags.
/// </summary>
public sealed class DisplayedContentItems
{
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _contentTypes = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Ids => _ids;

    /// <summary>Adds an item whose display was built in this request, with its type, which the cache policy reads.</summary>
    public void Add(string contentItemId, string contentType)
    {
        Add(contentItemId);
        if (ContentTags.IsToken(contentItemId) && !string.IsNullOrEmpty(contentType))
        {
            _contentTypes.TryAdd(contentItemId, contentType);
        }
    }

    /// <summary>The type of an item whose display was built in this request; null for items only read from the dynamic cache.</summary>
    public string ContentTypeOf(string contentItemId) =>
        contentItemId is not null && _contentTypes.TryGetValue(contentItemId, out var contentType) ? contentType : null;

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
