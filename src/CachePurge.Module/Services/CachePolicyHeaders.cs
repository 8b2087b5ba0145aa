using System.Globalization;
using CachePurge.Module.Models;
using Microsoft.AspNetCore.Http;

namespace CachePurge.Module.Services;

/// <summary>The caching headers of the policy, in the forms Varnish, Squid, nginx and CDNs read.</summary>
public static class CachePolicyHeaders
{
    /// <summary>What a page no shared cache may keep says: browsers may keep it, but only after asking again.</summary>
    public const string NotShared = "private, no-cache";

    public const string SurrogateControlHeader = "Surrogate-Control";

    public const string CdnCacheControlHeader = "CDN-Cache-Control";

    /// <summary>
    /// <c>public, max-age=&lt;browser&gt;, s-maxage=&lt;shared&gt;, stale-while-revalidate=…, stale-if-error=…</c>;
    /// <see cref="NotShared"/> for a lifetime of 0. The browser's lifetime is never longer than the shared one, and a
    /// stale window of 0 is left out.
    /// </summary>
    public static string CacheControl(CachePolicySettings settings, int sharedSeconds) =>
        sharedSeconds <= 0
            ? NotShared
            : $"public, max-age={Seconds(Math.Clamp(settings.BrowserSeconds, 0, sharedSeconds))}, s-maxage={Seconds(sharedSeconds)}{StaleWindows(settings)}";

    /// <summary>The shared lifetime alone, as <c>Surrogate-Control</c> and <c>CDN-Cache-Control</c> give it: <c>max-age=&lt;shared&gt;, …</c>, or <c>no-store</c>.</summary>
    public static string SharedOnly(CachePolicySettings settings, int sharedSeconds) =>
        sharedSeconds <= 0 ? "no-store" : $"max-age={Seconds(sharedSeconds)}{StaleWindows(settings)}";

    /// <summary>Sets the headers for a page that shared caches may keep for <paramref name="sharedSeconds"/>.</summary>
    public static void Apply(IHeaderDictionary headers, CachePolicySettings settings, int sharedSeconds)
    {
        headers.CacheControl = CacheControl(settings, sharedSeconds);
        if (settings.SurrogateControl)
        {
            headers[SurrogateControlHeader] = SharedOnly(settings, sharedSeconds);
        }

        if (settings.CdnCacheControl)
        {
            headers[CdnCacheControlHeader] = SharedOnly(settings, sharedSeconds);
        }
    }

    private static string StaleWindows(CachePolicySettings settings) =>
        (settings.StaleWhileRevalidateSeconds > 0 ? $", stale-while-revalidate={Seconds(settings.StaleWhileRevalidateSeconds)}" : "")
        + (settings.StaleIfErrorSeconds > 0 ? $", stale-if-error={Seconds(settings.StaleIfErrorSeconds)}" : "");

    private static string Seconds(int seconds) => seconds.ToString(CultureInfo.InvariantCulture);
}
