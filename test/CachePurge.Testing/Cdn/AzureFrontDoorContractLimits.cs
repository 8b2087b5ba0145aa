namespace CachePurge.Testing.Cdn;

/// <summary>
/// What an Azure Front Door contract server enforces: content paths a purge takes, ARM's write bucket (per
/// subscription: 200, refilled at 10 a second) and how long a purge takes to complete.
/// </summary>
public sealed record AzureFrontDoorContractLimits(int PathsPerCall, int WriteBurst, double WritesPerSecond, TimeSpan CompletionDelay)
{
    /// <summary>As documented; purges complete after half a second rather than minutes.</summary>
    public static AzureFrontDoorContractLimits Documented { get; } = new(100, 200, 10, TimeSpan.FromMilliseconds(500));
}
