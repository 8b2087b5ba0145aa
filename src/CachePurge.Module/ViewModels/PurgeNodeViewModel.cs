using CachePurge.Module.Models;

namespace CachePurge.Module.ViewModels;

/// <summary>One node of the farm as the operations page lists it, from the status it last wrote to the site's database.</summary>
/// <param name="IsGone">Not seen for more than <see cref="Services.PurgeNodeReporter.LeasePeriodsUntilGone"/> lease periods: stopped or cut off.</param>
public sealed record PurgeNodeViewModel(PurgeNodeStatus Status, bool IsThisNode, bool IsGone);
