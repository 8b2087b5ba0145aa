namespace CachePurge.Core;

/// <summary>One thing to remove from every cache: a normalised site path, a tag, or everything.</summary>
public readonly record struct PurgeTarget(PurgeTargetKind Kind, string Value)
{
    public static PurgeTarget ForPath(string path) => new(PurgeTargetKind.Path, path);

    public static PurgeTarget ForTag(string tag) => new(PurgeTargetKind.Tag, tag);

    public static PurgeTarget Everything { get; } = new(PurgeTargetKind.Everything, "*");

    public override string ToString() => Kind switch
    {
        PurgeTargetKind.Path => Value,
        PurgeTargetKind.Tag => "tag:" + Value,
        _ => "everything",
    };
}
