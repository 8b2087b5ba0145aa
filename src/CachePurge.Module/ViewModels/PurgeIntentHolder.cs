namespace CachePurge.Module.ViewModels;

/// <summary>One node's share of the purge intents waiting in the site's database; a null <see cref="Node"/> for those no engine took yet.</summary>
public sealed record PurgeIntentHolder(string Node, int Count, DateTime OldestSavedUtc, DateTime? LeaseUntilUtc, bool IsThisNode);
