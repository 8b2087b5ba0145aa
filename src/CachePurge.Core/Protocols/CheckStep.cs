namespace CachePurge.Core.Protocols;

/// <summary>What one read of a connection check found: a description when it succeeded, or why it did not.</summary>
internal readonly record struct CheckStep(ConnectionCheckOutcome Outcome, string Description)
{
    public static CheckStep Found(string description) => new(ConnectionCheckOutcome.Succeeded, description);
}
