namespace CachePurge.Core.Journal;

/// <summary>
/// Takes out of the commits about to be saved what their caches acknowledged already. A purge is usually answered
/// within milliseconds, long before the next save: inserting it only for the acknowledgement to delete it in the same
/// transaction cost SQLite two writes (and the engine about a third of its CPU per purge) for nothing. Until the save,
/// the commit log keeps the record, so a process killed before it still sends the purge again.
/// <para>
/// An entry is covered as the database's delete would cover it: same cache and target, committed no later than the
/// commit the acknowledged request carried (a purge of everything covers every target of its cache). The
/// acknowledgements themselves still go to the database, for an older commit of the same target it may hold.
/// </para>
/// </summary>
internal static class AcknowledgedBeforeSave
{
    public static IReadOnlyList<LoggedCommit> Remove(IReadOnlyList<LoggedCommit> commits, IReadOnlyList<JournalUpdate> updates)
    {
        if (commits.Count == 0 || !Index(updates, out var delivered, out var everythingThrough))
        {
            return commits;
        }

        List<LoggedCommit> kept = new(commits.Count);
        foreach (var commit in commits)
        {
            List<(string Endpoint, PurgeTarget Target)>? entries = null;
            for (var i = 0; i < commit.Entries.Count; i++)
            {
                var (endpoint, target) = commit.Entries[i];
                var covered = (delivered.TryGetValue((endpoint, target), out var through) && commit.Sequence <= through)
                    || (everythingThrough.TryGetValue(endpoint, out var everything) && commit.Sequence <= everything);
                if (covered && entries is null)
                {
                    // Copied only from the first entry taken out: most commits are kept whole, or left out whole.
                    entries = new List<(string, PurgeTarget)>(commit.Entries.Count);
                    for (var j = 0; j < i; j++)
                    {
                        entries.Add(commit.Entries[j]);
                    }
                }
                else if (!covered)
                {
                    entries?.Add((endpoint, target));
                }
            }

            if (entries is null)
            {
                kept.Add(commit);
            }
            else if (entries.Count > 0)
            {
                kept.Add(commit with { Entries = entries });
            }
        }

        return kept;
    }

    /// <summary>The newest commit each acknowledgement covers, by cache and target, and by cache for purges of everything; false when there are none.</summary>
    private static bool Index(
        IReadOnlyList<JournalUpdate> updates,
        out Dictionary<(string Endpoint, PurgeTarget Target), long> delivered,
        out Dictionary<string, long> everythingThrough)
    {
        delivered = [];
        everythingThrough = new(StringComparer.Ordinal);
        foreach (var update in updates)
        {
            if (update.Kind != JournalUpdateKind.Delivered)
            {
                continue;
            }

            if (update.Target.Kind == PurgeTargetKind.Everything)
            {
                everythingThrough[update.Endpoint] = Math.Max(everythingThrough.GetValueOrDefault(update.Endpoint, long.MinValue), update.DeliveredSequence);
            }
            else
            {
                var key = (update.Endpoint, update.Target);
                delivered[key] = Math.Max(delivered.GetValueOrDefault(key, long.MinValue), update.DeliveredSequence);
            }
        }

        return delivered.Count > 0 || everythingThrough.Count > 0;
    }
}
