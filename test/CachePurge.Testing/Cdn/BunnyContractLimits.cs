namespace CachePurge.Testing.Cdn;

/// <summary>
/// The purge limits a bunny.net account enforces, per https://docs.bunny.net/docs/cdn-api-purge-rate-limits: a token
/// bucket per purge type, exact (burst 120, 5 a second) and prefix (burst 20, 0.5 a second). Tests that cannot wait
/// for the documented rate give the server a faster one, and the engine the same, as an account with raised limits.
/// </summary>
public sealed record BunnyContractLimits(int ExactBurst, double ExactPerSecond, int PrefixBurst, double PrefixPerSecond)
{
    public static BunnyContractLimits Documented { get; } = new(120, 5, 20, 0.5);
}
