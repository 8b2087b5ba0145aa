namespace CachePurge.Module.Services;

/// <summary>
/// This process among the nodes of a web farm, as the purge intents its engines hold name it. A new process is a new
/// node: what a stopped process held is taken over by the recovery task once its leases run out.
/// </summary>
public static class PurgeNode
{
    public const int MaxIdLength = 100;

    public static string Id { get; } = Truncate($"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}");

    private static string Truncate(string id) => id.Length <= MaxIdLength ? id : id[^MaxIdLength..];
}
