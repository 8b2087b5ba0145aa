using CachePurge.Core;
using CachePurge.Module.Models;

namespace CachePurge.Module.Services;

/// <summary>
/// The tag headers a page carries: the one the settings name (<see cref="CachePurgeSettings.ResponseTagHeader"/>, for
/// generic caches and sites set up before caches had their own), and the one each configured kind of cache reads, all
/// at once when caches are mixed. One row per kind that reads tags from pages; Squid and nginx read none.
/// </summary>
public static class ResponseTagFormats
{
    private static readonly Dictionary<CacheKind, ResponseTagFormat> ByKind = new()
    {
        // vmod_xkey splits on spaces (and commas); Varnish's http_resp_hdr_len is 8 KB by default.
        [CacheKind.Varnish] = new("xkey", " ", 7_500),

        // https://www.fastly.com/documentation/reference/http/http-headers/Surrogate-Key/: space-separated, the header
        // at most 16,384 bytes and each key at most 1,024.
        [CacheKind.Fastly] = new("Surrogate-Key", " ", 16_384, 1_024),

        // https://developers.cloudflare.com/cache/how-to/purge-cache/purge-by-tags/: comma-separated, at most 16 KB.
        [CacheKind.Cloudflare] = new("Cache-Tag", ",", 16_384),

        // https://docs.bunny.net/cdn/purge-cache: CDN-Tag values are limited to 1,024 bytes.
        [CacheKind.Bunny] = new("CDN-Tag", ",", 1_024),

        // https://techdocs.akamai.com/purge-cache/docs/assign-cache-tags: one header of up to 128 comma-delimited tags,
        // each at most 128 characters (tags past the 128th are ignored, so such a page carries the site tag alone); the
        // header is kept to 8 KB, the size Akamai's edge takes for it.
        [CacheKind.Akamai] = new("Edge-Cache-Tag", ",", 8_192, 128, 128),
    };

    /// <summary>The format <paramref name="kind"/> reads, or null for a kind that reads no tags or is told its header.</summary>
    public static ResponseTagFormat ForKind(CacheKind kind) => ByKind.GetValueOrDefault(kind);

    /// <summary>
    /// The headers pages carry with <paramref name="settings"/>, one per header name; none when the settings' header is
    /// empty, which turns tags off. A kind's own format takes the place of a configured header of the same name, and
    /// no header is longer than <see cref="CachePurgeSettings.ResponseTagHeaderLimit"/>.
    /// </summary>
    public static IReadOnlyList<ResponseTagFormat> For(CachePurgeSettings settings)
    {
        if (string.IsNullOrWhiteSpace(settings.ResponseTagHeader))
        {
            return [];
        }

        var separator = string.IsNullOrEmpty(settings.ResponseTagSeparator) ? " " : settings.ResponseTagSeparator;
        var configured = new ResponseTagFormat(settings.ResponseTagHeader.Trim(), separator, settings.ResponseTagHeaderLimit);
        var formats = new Dictionary<string, ResponseTagFormat>(StringComparer.OrdinalIgnoreCase) { [configured.Header] = configured };
        foreach (var kind in settings.Caches.Select(c => c.Kind).Distinct())
        {
            if (ByKind.TryGetValue(kind, out var format))
            {
                formats[format.Header] = format with { HeaderLimit = Math.Min(format.HeaderLimit, settings.ResponseTagHeaderLimit) };
            }
        }

        return [.. formats.Values];
    }
}
