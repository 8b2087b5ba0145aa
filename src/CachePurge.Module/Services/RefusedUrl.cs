namespace CachePurge.Module.Services;

/// <summary>A line of the operations page's purge box that is not a page of this site.</summary>
/// <param name="Line">The line's number, from 1.</param>
/// <param name="Error">Why the engine refused it.</param>
public sealed record RefusedUrl(int Line, string Error);
