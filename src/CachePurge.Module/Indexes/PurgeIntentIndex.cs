using YesSql.Indexes;

namespace CachePurge.Module.Indexes;

/// <summary>When a <see cref="Models.PurgeIntent"/> was saved, to find those its request never handed over.</summary>
public sealed class PurgeIntentIndex : MapIndex
{
    public DateTime CreatedUtc { get; set; }
}
