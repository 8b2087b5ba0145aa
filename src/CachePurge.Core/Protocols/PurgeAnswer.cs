namespace CachePurge.Core.Protocols;

/// <summary>
/// What a backend's answer to one call means, and, unless it purged, what went wrong. A backend that completes later
/// (<see cref="PurgeCompletion.ReportedLater"/>) gives the <paramref name="Ticket"/> its completion is asked for with.
/// </summary>
internal readonly record struct PurgeAnswer(PurgeOutcome Outcome, string? Error, PurgeTicket? Ticket = null);
