using CachePurge.Core.Protocols;

namespace CachePurge.Core.Dispatching;

/// <summary>What asking a CDN where one purge stands came to, and when it asked to be asked again (its <c>Retry-After</c>).</summary>
internal readonly record struct CompletionPoll(CompletionAnswer Answer, TimeSpan? RetryAfter = null);
