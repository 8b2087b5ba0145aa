namespace CachePurge.Module.Workflows.ViewModels;

public sealed class CachePurgeFailedEventViewModel
{
    public bool OnlyDeadLetters { get; set; }

    public string Cache { get; set; }

    /// <summary>The caches of the settings, for the choice of one.</summary>
    public IReadOnlyList<string> Caches { get; set; } = [];
}
