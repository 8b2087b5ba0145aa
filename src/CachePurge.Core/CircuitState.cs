namespace CachePurge.Core;

/// <summary>Where one cache's circuit breaker stands, as the admin page shows it.</summary>
public enum CircuitState
{
    /// <summary>Purges go out as they come.</summary>
    Closed,

    /// <summary>Enough attempts failed that purges wait; after the break one attempt tests the cache.</summary>
    Open,

    /// <summary>The break is over and one attempt is testing the cache; its answer closes or opens the circuit.</summary>
    HalfOpen,
}
