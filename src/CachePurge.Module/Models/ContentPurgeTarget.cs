using CachePurge.Core;

namespace CachePurge.Module.Models;

/// <summary>One page (a site path or URL, not yet normalised) or tag that a change to a content item purges, and why.</summary>
public sealed record ContentPurgeTarget(PurgeTargetKind Kind, string Value, ContentPurgeReason Reason);
