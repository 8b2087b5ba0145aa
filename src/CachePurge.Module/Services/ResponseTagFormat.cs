namespace CachePurge.Module.Services;

/// <summary>
/// How one kind of cache reads a page's tags: the response header, what separates the tags in it, the longest value
/// it takes (bytes; tags are ASCII), the longest single tag and the most tags it reads. A page whose tags do not fit
/// carries the site tag alone.
/// </summary>
public sealed record ResponseTagFormat(string Header, string Separator, int HeaderLimit, int TagLimit = int.MaxValue, int MaxTags = int.MaxValue);
