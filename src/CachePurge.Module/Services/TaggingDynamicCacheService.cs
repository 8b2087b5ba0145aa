using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Distributed;
using OrchardCore.DynamicCache;
using OrchardCore.Environment.Cache;

namespace CachePurge.Module.Services;

/// <summary>
/// Wraps Orchard's dynamic cache service. A shape or block served from the dynamic cache skips the display pipeline, so
/// the content items inside it are never built again; Orchard keeps their <c>contentitemid:</c> dependencies with the
/// entry but does not hand them back. This keeps its own copy of them next to the entry, keyed by the entry's id and
/// content, and reports them for the response whenever the entry is served. Like Orchard's, the copy holds item ids,
/// not tags: the dynamic cache belongs to one tenant, and the tenant is added when the header is written.
/// </summary>
public sealed class TaggingDynamicCacheService : IDynamicCacheService
{
    private const string KeyPrefix = "cachepurge-tags:";

    private readonly IDynamicCacheService _inner;
    private readonly IDynamicCache _dynamicCache;
    private readonly DisplayedContentItems _displayed;

    public TaggingDynamicCacheService(IDynamicCacheService inner, IDynamicCache dynamicCache, DisplayedContentItems displayed)
    {
        _inner = inner;
        _dynamicCache = dynamicCache;
        _displayed = displayed;
    }

    public async Task<string> GetCachedValueAsync(CacheContext context)
    {
        var value = await _inner.GetCachedValueAsync(context);
        if (value is not null)
        {
            _displayed.AddDependencies(context.Tags);
            var stored = await _dynamicCache.GetAsync(Key(context, value));
            if (stored is not null)
            {
                _displayed.AddDependencies(Encoding.UTF8.GetString(stored).Split('\n'));
            }
        }

        return value;
    }

    public async Task SetCachedValueAsync(CacheContext context, string value)
    {
        await _inner.SetCachedValueAsync(context, value);

        // By now the dependencies of everything rendered inside the entry have been merged into its context.
        _displayed.AddDependencies(context.Tags);
        var dependencies = context.Tags.Where(t => t.StartsWith(ContentTags.OrchardDependencyPrefix, StringComparison.OrdinalIgnoreCase)).ToList();
        if (dependencies.Count == 0)
        {
            return;
        }

        // Same lifetime as Orchard gives the entry, so that the copy does not outlive it by much.
        var options = new DistributedCacheEntryOptions
        {
            AbsoluteExpiration = context.ExpiresOn,
            SlidingExpiration = context.ExpiresSliding,
            AbsoluteExpirationRelativeToNow = context.ExpiresAfter,
        };
        if (options.AbsoluteExpiration is null && options.SlidingExpiration is null && options.AbsoluteExpirationRelativeToNow is null)
        {
            options.SlidingExpiration = TimeSpan.FromMinutes(1);
        }

        await _dynamicCache.SetAsync(Key(context, value), Encoding.UTF8.GetBytes(string.Join('\n', dependencies)), options);
    }

    public Task TagRemovedAsync(string tag, IEnumerable<string> keys) => _inner.TagRemovedAsync(tag, keys);

    // The entry's content tells its variations (per user, per query...) apart without recomputing Orchard's discriminators.
    private static string Key(CacheContext context, string value) =>
        KeyPrefix + context.CacheId + "/" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)), 0, 16);
}
