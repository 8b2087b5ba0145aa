namespace CachePurge.Testing.Cdn;

/// <summary>One invalidation the CloudFront contract server made: <c>InProgress</c> until <paramref name="Delay"/> has passed since <paramref name="Created"/>.</summary>
internal sealed record CloudFrontInvalidation(string Id, string CallerReference, string[] Paths, DateTimeOffset Created, TimeSpan Delay);
