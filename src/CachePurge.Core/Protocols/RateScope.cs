using System.Security.Cryptography;
using System.Text;

namespace CachePurge.Core.Protocols;

/// <summary>
/// Who shares a CDN's rate limits (<see cref="BackendCapabilities.RateScope"/>): the account the credentials belong to.
/// Sites configured with the same account share its buckets. The key holds a hash of what names the account, never a
/// secret itself.
/// </summary>
internal static class RateScope
{
    /// <summary>The scope of <paramref name="backend"/>'s account named by <paramref name="account"/> (a token, a subscription).</summary>
    public static string Of(string backend, string account) =>
        backend + ":" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(account)), 0, 8);
}
