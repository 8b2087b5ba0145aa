namespace CachePurge.Core.Protocols;

/// <summary>
/// What one read of a connection check found: a description when it succeeded, or why it did not; and a warning
/// when what the credentials may do does not match the cache's settings (<see cref="ConnectionCheck.Warnings"/>).
/// </summary>
internal readonly record struct CheckStep(ConnectionCheckOutcome Outcome, string Description, string? Warning = null)
{
    public static CheckStep Found(string description, string? warning = null) => new(ConnectionCheckOutcome.Succeeded, description, warning);
}
