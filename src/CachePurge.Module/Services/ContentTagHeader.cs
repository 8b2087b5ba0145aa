using System.Text;

namespace CachePurge.Module.Services;

/// <summary>The value of the response header that lists a page's tags.</summary>
public static class ContentTagHeader
{
    /// <summary>
    /// The tenant's site tag followed by the tag of each content item, joined with <paramref name="separator"/>; when
    /// that is longer than <paramref name="limit"/> bytes, the site tag alone (caches refuse or cut long headers, and a
    /// cut list would leave the page behind when a dropped item changes), with <c>Overflowed</c> set; and so when one
    /// tag is longer than <paramref name="tagLimit"/> characters (a cache would drop it, or refuse the header), or when
    /// there are more than <paramref name="maxTags"/> tags, the site tag included (a cache would ignore the others).
    /// </summary>
    public static (string Value, bool Overflowed) Build(string tenantName, IEnumerable<string> contentItemIds, string separator, int limit, int tagLimit = int.MaxValue, int maxTags = int.MaxValue)
    {
        var siteTag = ContentTags.ForSite(tenantName);
        var builder = new StringBuilder(siteTag);
        var count = 1;
        foreach (var id in contentItemIds.Order(StringComparer.Ordinal))
        {
            var tag = ContentTags.ForContentItem(tenantName, id);
            builder.Append(separator).Append(tag);
            if (builder.Length > limit || tag.Length > tagLimit || ++count > maxTags)
            {
                return (siteTag, true);
            }
        }

        // Tags are ASCII, so characters are bytes.
        return (builder.ToString(), false);
    }
}
