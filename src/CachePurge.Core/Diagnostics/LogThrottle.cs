namespace CachePurge.Core.Diagnostics;

/// <summary>
/// Collapses a message that repeats, such as a journal write refused on every try while the disk is full, into one
/// line per interval that says how many were left out. The first occurrence of a key is logged at once; later ones
/// within the interval are only counted; the first one after the interval is logged again, with that count.
/// A key names what the message is about (an event id, or an event id and a cache), so that two different problems
/// are never folded into one line.
/// </summary>
internal sealed class LogThrottle(TimeProvider time, TimeSpan interval)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (DateTimeOffset LoggedAt, int Skipped)> _keys = new(StringComparer.Ordinal);

    /// <summary>
    /// True when this occurrence of <paramref name="key"/> should be logged; <paramref name="skipped"/> is then how
    /// many occurrences were not logged since the last line, for the message to say.
    /// </summary>
    public bool ShouldLog(string key, out int skipped)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_keys.TryGetValue(key, out var last) && now - last.LoggedAt < interval)
            {
                _keys[key] = (last.LoggedAt, last.Skipped + 1);
                skipped = 0;
                return false;
            }

            skipped = last.Skipped;
            _keys[key] = (now, 0);
            return true;
        }
    }

    /// <summary>
    /// Forgets <paramref name="key"/>, so that its next occurrence is logged at once, and returns how many occurrences
    /// were not logged since its last line: for the line that says the problem is over.
    /// </summary>
    public int Reset(string key)
    {
        lock (_lock)
        {
            return _keys.Remove(key, out var last) ? last.Skipped : 0;
        }
    }
}
