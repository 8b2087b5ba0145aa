namespace CachePurge.Core;

/// <summary>
/// The purges of one unit of work (one web request). Paths and tags are collected while the work
/// runs and handed to the queue only by <see cref="Commit"/>: a batch that is never committed,
/// because the work failed, sends nothing. Not thread-safe, like the request it belongs to.
/// </summary>
public sealed class PurgeBatch
{
    private readonly IPurgeQueue _queue;
    private readonly PurgeUrlNormalizer _normalizer;
    private readonly string? _endpoint;
    private readonly HashSet<PurgeTarget> _targets = [];

    /// <param name="endpoint">The one cache this batch is for (an admin's "purge this cache"), or null for every cache.</param>
    public PurgeBatch(IPurgeQueue queue, PurgeUrlNormalizer normalizer, string? endpoint = null)
    {
        _queue = queue;
        _normalizer = normalizer;
        _endpoint = endpoint;
    }

    /// <summary>The distinct targets collected so far.</summary>
    public IReadOnlyCollection<PurgeTarget> Targets => _targets;

    public bool IsCommitted { get; private set; }

    /// <summary>Adds a site URL or path after normalising it; a refused URL is not added and the result says why.</summary>
    public PurgeUrlResult AddUrl(string url)
    {
        ThrowIfCommitted();
        var result = _normalizer.Normalize(url);
        if (result.Path is { } path)
        {
            _targets.Add(PurgeTarget.ForPath(path));
        }

        return result;
    }

    /// <summary>Adds a tag; tags are single tokens of visible ASCII characters.</summary>
    public void AddTag(string tag)
    {
        ThrowIfCommitted();
        if (string.IsNullOrEmpty(tag) || tag.Any(c => c <= ' ' || c >= 127))
        {
            throw new ArgumentException($"'{tag}' is not a tag: use visible ASCII characters without spaces.", nameof(tag));
        }

        _targets.Add(PurgeTarget.ForTag(tag));
    }

    /// <summary>Adds a purge of every page of the site.</summary>
    public void AddEverything()
    {
        ThrowIfCommitted();
        _targets.Add(PurgeTarget.Everything);
    }

    /// <summary>
    /// Hands the collected purges to the queue. Returns at once, whatever the caches are doing, with the commit number
    /// they were journaled under (see <see cref="PurgeDispatcher.GetSettledSequence"/>), or 0 when no cache takes any.
    /// </summary>
    public long Commit()
    {
        ThrowIfCommitted();
        IsCommitted = true;
        return _targets.Count > 0 ? _queue.Enqueue(_targets, _endpoint) : 0;
    }

    private void ThrowIfCommitted()
    {
        if (IsCommitted)
        {
            throw new InvalidOperationException("This purge batch was already committed.");
        }
    }
}
