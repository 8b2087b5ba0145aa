namespace CachePurge.Core.Protocols;

/// <summary>
/// A purge a backend accepted but finishes later (<see cref="PurgeCompletion.ReportedLater"/>): what it answered so that
/// its completion can be asked for, or awaited.
/// </summary>
/// <param name="Id">The backend's id for the purge (a CloudFront invalidation id, an Azure operation, Akamai's purgeId).</param>
/// <param name="Items">How many paths (or URLs, tags) the purge carries, for backends that limit what is in progress.</param>
/// <param name="StatusUri">Where to ask for its completion (Azure-AsyncOperation, Location); null when the protocol builds it from <paramref name="Id"/>.</param>
/// <param name="Estimated">When the backend says it will be done (Akamai's estimatedSeconds); null when unknown.</param>
internal sealed record PurgeTicket(string Id, int Items, Uri? StatusUri = null, TimeSpan? Estimated = null);
