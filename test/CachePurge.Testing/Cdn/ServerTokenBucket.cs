using System.Diagnostics;

namespace CachePurge.Testing.Cdn;

/// <summary>A CDN's side of a rate limit: a bucket of <c>burst</c> tokens refilled continuously at <c>perSecond</c>.</summary>
public sealed class ServerTokenBucket(int burst, double perSecond)
{
    private readonly Lock _lock = new();
    private double _tokens = burst;
    private long _last = Stopwatch.GetTimestamp();

    /// <summary>Takes <paramref name="tokens"/> if the bucket holds them; otherwise says how long until it would.</summary>
    public bool TryTake(int tokens, out TimeSpan wait)
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + (Stopwatch.GetElapsedTime(_last, now).TotalSeconds * perSecond));
            _last = now;
            if (_tokens >= tokens)
            {
                _tokens -= tokens;
                wait = TimeSpan.Zero;
                return true;
            }

            wait = TimeSpan.FromSeconds((tokens - _tokens) / perSecond);
            return false;
        }
    }

    /// <summary>Gives back <paramref name="tokens"/> taken for a request then refused (a vendor that takes no tokens for a refusal).</summary>
    public void Give(int tokens)
    {
        lock (_lock)
        {
            _tokens = Math.Min(burst, _tokens + tokens);
        }
    }

    /// <summary>The whole tokens the bucket holds now, as a vendor's <c>Remaining</c> header says.</summary>
    public int Peek()
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            _tokens = Math.Min(burst, _tokens + (Stopwatch.GetElapsedTime(_last, now).TotalSeconds * perSecond));
            _last = now;
            return (int)_tokens;
        }
    }
}
