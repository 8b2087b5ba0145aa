using System.Globalization;
using CachePurge.Core.Protocols;

namespace CachePurge.Core.Dispatching;

/// <summary>
/// Fetches a purged path through the cache to see whether it now comes back fresh. A page served
/// with <c>Age</c> above 0 or an <c>X-Cache</c> HIT was not evicted, whatever the cache answered to
/// the purge. The fetch also warms the cache again with the new content.
/// </summary>
internal sealed class EvictionConfirmer(HttpClient client, HostHeaderProtocol protocol)
{
    public async Task<(bool Confirmed, string? Detail)> ConfirmAsync(string path, SiteHost host, CancellationToken cancellationToken)
    {
        using var request = protocol.CreatePageRequest(path, host);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);

        if (response.Headers.TryGetValues("X-Cache", out var xCache) && xCache.Any(v => v.StartsWith("HIT", StringComparison.OrdinalIgnoreCase)))
        {
            return (false, $"still cached: X-Cache {string.Join(", ", xCache)}");
        }

        if (response.Headers.TryGetValues("Age", out var age) && int.TryParse(age.First(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
        {
            return (false, $"still cached: Age {seconds}");
        }

        return (true, null);
    }
}
