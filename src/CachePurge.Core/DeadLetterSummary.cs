namespace CachePurge.Core;

/// <summary>Purges that failed for longer than the dead-letter age: how many, and the newest error.</summary>
public sealed record DeadLetterSummary(int Count, DateTimeOffset? LastTime, string? LastError)
{
    public static DeadLetterSummary None { get; } = new(0, null, null);
}
