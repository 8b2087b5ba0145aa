namespace CachePurge.Module.Models;

/// <summary>
/// The pages and tags one request's content changes make stale, saved in the tenant's database in the same transaction
/// as those changes: a request that fails saves neither. Once a node's engine holds them, the intent names that node
/// and the engine's commit number, and stays until the engine has settled that commit; the node renews its lease
/// meanwhile. A node that dies leaves its intents to the recovery task of any other once their lease ran out.
/// </summary>
public sealed class PurgeIntent
{
    /// <summary>The YesSql document id.</summary>
    public long Id { get; set; }

    public DateTime CreatedUtc { get; set; }

    public HashSet<string> Urls { get; set; } = new(StringComparer.Ordinal);

    public HashSet<string> Tags { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Every page of the site rather than <see cref="Urls"/> and <see cref="Tags"/>: a site-wide change, or an operator's or client's request.</summary>
    public bool Everything { get; set; }

    /// <summary>The one cache they are for (an operator's or a client's purge of one cache), or null for every cache.</summary>
    public string Cache { get; set; }

    /// <summary>The node whose engine holds it (<see cref="Services.PurgeNode.Id"/>), or null before any does.</summary>
    public string Owner { get; set; }

    /// <summary>The commit number its owner's engine gave it.</summary>
    public long Sequence { get; set; }

    /// <summary>Until when its owner answers for it; after that any node may take it over.</summary>
    public DateTime? LeaseUntilUtc { get; set; }
}
