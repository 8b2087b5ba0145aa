using CachePurge.Module.Models;

namespace CachePurge.Module.ViewModels;

/// <param name="Value">The normalised path, or the tag.</param>
/// <param name="FromLiveVersion">Only the version that is live now has it, e.g. the URL before a slug change.</param>
/// <param name="Error">Why the engine would refuse it (a URL of another host); null when it is purged.</param>
public sealed record PurgePreviewTarget(string Value, ContentPurgeReason Reason, bool FromLiveVersion, string Error = null);
