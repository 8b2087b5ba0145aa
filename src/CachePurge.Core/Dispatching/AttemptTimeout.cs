namespace CachePurge.Core.Dispatching;

/// <summary>
/// The timeout of one request at a time, for one sender (a queue's worker, or a probe). Its token source is linked once
/// to the caller's token and reset after each request, so that a request costs a timer reset: HttpClient would link a
/// new token source to the engine's stopping token for every request, and 64 workers contend on that token.
/// </summary>
internal sealed class AttemptTimeout(TimeSpan timeout, CancellationToken cancellationToken) : IDisposable
{
    private CancellationTokenSource _source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

    public TimeSpan Timeout => timeout;

    /// <summary>The caller's token: cancelled when the sender stops, never by the timeout.</summary>
    public CancellationToken CancellationToken => cancellationToken;

    /// <summary>Starts the clock of one request and returns the token that ends it.</summary>
    public CancellationToken Start()
    {
        _source.CancelAfter(timeout);
        return _source.Token;
    }

    /// <summary>Stops the clock; a source the timeout cancelled is replaced.</summary>
    public void Stop()
    {
        if (!_source.TryReset())
        {
            _source.Dispose();
            _source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        }
    }

    public void Dispose() => _source.Dispose();
}
