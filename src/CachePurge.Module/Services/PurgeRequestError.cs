namespace CachePurge.Module.Services;

/// <summary>Why a part of a <see cref="PurgeRequest"/> was refused.</summary>
/// <param name="Field">The field, as the API names it: <c>urls[2]</c>, <c>tags[0]</c> or <c>cache</c>.</param>
/// <param name="Message">What is wrong with it.</param>
public sealed record PurgeRequestError(string Field, string Message);
