namespace CachePurge.Core;

/// <summary>
/// The last error of one cache. The same error again is counted here rather than shown once per purge, because a cache
/// that is down fails every purge the same way.
/// </summary>
/// <param name="Message">What went wrong, as the recent requests show it (for example "HTTP 503 Service Unavailable").</param>
/// <param name="FirstTime">When this error was first seen since a different one.</param>
/// <param name="LastTime">When it was last seen.</param>
/// <param name="Count">How many failed requests since <paramref name="FirstTime"/> ended with it; another error starts a new count.</param>
public sealed record EndpointError(string Message, DateTimeOffset FirstTime, DateTimeOffset LastTime, int Count);
