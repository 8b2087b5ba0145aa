namespace CachePurge.Module.ViewModels;

/// <summary>What is still waiting to be sent, per cache in the order of the settings: the part of the operations page that refreshes itself.</summary>
public sealed record CachePurgeStatusViewModel(IReadOnlyList<KeyValuePair<string, int>> Pending)
{
    public int Total => Pending.Sum(p => p.Value);
}
