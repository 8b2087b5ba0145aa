using YesSql.Indexes;

namespace CachePurge.Module.Indexes;

/// <summary>Who holds a <see cref="Models.PurgeIntent"/> and until when, to find those nobody answers for.</summary>
public sealed class PurgeIntentIndex : MapIndex
{
    public DateTime CreatedUtc { get; set; }

    public string Owner { get; set; }

    public long Sequence { get; set; }

    public DateTime? LeaseUntilUtc { get; set; }
}
