namespace CachePurge.Core.Journal;

/// <summary>
/// Committed purges the journal's database has not taken, because it cannot be written now: kept in memory, one entry
/// per cache and target as in the database (a later commit moves the entry up and keeps its first commit time), read
/// back in pages like the database, and written to it as soon as it takes writes again. A purge its cache acknowledges
/// meanwhile is forgotten here. Memory stays bounded: above <c>escalateAbove</c> entries for a cache that can purge
/// everything, its entries become one purge of everything; a cache that cannot keeps up to <c>giveUpAbove</c>, and the
/// oldest above that are given up. Either is reported (<see cref="KeepBounded"/>), never silent.
/// </summary>
internal sealed class UnsavedPurges(int escalateAbove, int giveUpAbove, IReadOnlySet<string> canPurgeEverything)
{
    private readonly Dictionary<string, Dictionary<PurgeTarget, (long Sequence, DateTimeOffset FirstCommitted)>> _byEndpoint = new(StringComparer.Ordinal);

    public int Count { get; private set; }

    public void Add(IEnumerable<LoggedCommit> commits)
    {
        foreach (var commit in commits)
        {
            foreach (var (endpoint, target) in commit.Entries)
            {
                if (!_byEndpoint.TryGetValue(endpoint, out var targets))
                {
                    targets = [];
                    _byEndpoint.Add(endpoint, targets);
                }

                if (!targets.TryGetValue(target, out var kept))
                {
                    targets.Add(target, (commit.Sequence, commit.CommittedAt));
                    Count++;
                }
                else if (commit.Sequence > kept.Sequence)
                {
                    targets[target] = (commit.Sequence, kept.FirstCommitted);
                }
            }
        }
    }

    /// <summary>Forgets what an acknowledgement covers, as the database would: it need not be written at all.</summary>
    public void Apply(JournalUpdate update)
    {
        if (update.Kind != JournalUpdateKind.Delivered || !_byEndpoint.TryGetValue(update.Endpoint, out var targets))
        {
            return;
        }

        if (update.Target.Kind == PurgeTargetKind.Everything)
        {
            var covered = targets.Where(t => t.Value.Sequence <= update.DeliveredSequence).Select(t => t.Key).ToList();
            covered.ForEach(target => targets.Remove(target));
            Count -= covered.Count;
        }
        else if (targets.TryGetValue(update.Target, out var kept) && kept.Sequence <= update.DeliveredSequence)
        {
            targets.Remove(update.Target);
            Count--;
        }
    }

    /// <summary>Replaces or gives up purges of the caches above the bound, and says what it did to each.</summary>
    public List<UnsavedOverflow> KeepBounded()
    {
        List<UnsavedOverflow> overflows = [];
        foreach (var (endpoint, targets) in _byEndpoint)
        {
            if (canPurgeEverything.Contains(endpoint))
            {
                if (targets.Count > escalateAbove)
                {
                    // The purge of everything covers every page these purged, so it takes the newest commit's number.
                    var sequence = targets.Values.Max(t => t.Sequence);
                    var firstCommitted = targets.Values.Min(t => t.FirstCommitted);
                    var replaced = targets.Count - (targets.ContainsKey(PurgeTarget.Everything) ? 1 : 0);
                    Count -= targets.Count - 1;
                    targets.Clear();
                    targets.Add(PurgeTarget.Everything, (sequence, firstCommitted));
                    overflows.Add(new(endpoint, replaced, true, sequence, firstCommitted));
                }
            }
            else if (targets.Count > giveUpAbove)
            {
                var oldest = targets.OrderBy(t => t.Value.Sequence).Take(targets.Count - giveUpAbove).Select(t => t.Key).ToList();
                oldest.ForEach(target => targets.Remove(target));
                Count -= oldest.Count;
                overflows.Add(new(endpoint, oldest.Count, false, 0, default));
            }
        }

        return overflows;
    }

    /// <summary>The entries as commits to write, one per commit number and first commit time, oldest first.</summary>
    public IEnumerable<LoggedCommit> ToCommits() =>
        _byEndpoint
            .SelectMany(e => e.Value.Select(t => (Endpoint: e.Key, Target: t.Key, t.Value.Sequence, t.Value.FirstCommitted)))
            .GroupBy(e => (e.Sequence, e.FirstCommitted))
            .OrderBy(g => g.Key.Sequence)
            .Select(g => new LoggedCommit(g.Key.Sequence, g.Key.FirstCommitted, [.. g.Select(e => (e.Endpoint, e.Target))]));

    /// <summary>Up to <paramref name="limit"/> entries of <paramref name="endpoint"/> after <paramref name="after"/>, in the database's order.</summary>
    public List<JournalEntry> Page(string endpoint, JournalCursor after, int limit)
    {
        if (!_byEndpoint.TryGetValue(endpoint, out var targets))
        {
            return [];
        }

        return
        [
            .. targets
                .Where(t => JournalOrder.Compare(t.Value.Sequence, t.Key, after) > 0)
                .OrderBy(t => t.Value.Sequence).ThenBy(t => (int)t.Key.Kind).ThenBy(t => t.Key.Value, StringComparer.Ordinal)
                .Take(limit)
                .Select(t => new JournalEntry(endpoint, t.Key, t.Value.Sequence, t.Value.FirstCommitted, 0, null)),
        ];
    }

    /// <summary>How many entries have a commit number <paramref name="matches"/> accepts.</summary>
    public int CountWhere(Func<long, bool> matches) => _byEndpoint.Values.Sum(targets => targets.Values.Count(t => matches(t.Sequence)));

    public long? OldestSequence() => Count == 0 ? null : _byEndpoint.Values.SelectMany(targets => targets.Values).Min(t => (long?)t.Sequence);

    public Dictionary<string, int> CountByEndpoint() => _byEndpoint.Where(e => e.Value.Count > 0).ToDictionary(e => e.Key, e => e.Value.Count);

    public void Clear()
    {
        _byEndpoint.Clear();
        Count = 0;
    }
}
