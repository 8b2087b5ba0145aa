using CachePurge.Module.Models;
using CachePurge.Module.Services;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>Purging on: every intent is kept, as this node's.</summary>
public sealed class FakePurgeIntentClaim : IPurgeIntentClaim
{
    public Task<bool> TryClaimAsync(PurgeIntent intent)
    {
        intent.Owner ??= PurgeNode.Id;
        return Task.FromResult(true);
    }
}
