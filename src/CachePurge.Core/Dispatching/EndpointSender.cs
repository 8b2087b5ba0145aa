using System.Net.Http;
using System.Runtime.CompilerServices;
using CachePurge.Core.Diagnostics;
using CachePurge.Core.Journal;
using CachePurge.Core.Protocols;
using CachePurge.Core.Protocols.CloudFront;
using Microsoft.Extensions.Logging;

namespace CachePurge.Core.Dispatching;

/// <summary>Sends the requests of one target to one endpoint, with its retries and circuit breaker, and records each answer.</summary>
internal sealed class EndpointSender(
    CacheEndpoint endpoint,
    SiteAddresses site,
    IHttpClientFactory httpClientFactory,
    EndpointResilience resilience,
    RecentPurgeResults results,
    CachePurgeMetrics metrics,
    TimeProvider time,
    ILogger logger,
    Action<IReadOnlyCollection<PurgeTarget>> sendAgain,
    MonthlyPathCounter? pathCounter = null)
{
    // The factory's handlers live forever (see CachePurgeHttp), so holding one per cache is safe. Purges go through an
    // HttpMessageInvoker on the factory's handler where the factory gives it: HttpClient would add, to every request,
    // a token source linked to the caller's and a timer of its own (AttemptTimeout times each attempt instead).
    private readonly HttpClient _client = CreateClient(httpClientFactory, endpoint);

    // A backend that signs in for access tokens (Azure Front Door) fetches them through the engine's client too.
    private readonly CacheProtocol _protocol = CacheProtocol.For(endpoint, site, pathCounter, CreateClient(httpClientFactory, endpoint));
    private readonly IReadOnlyList<SiteHost> _hosts = site.Hosts;
    private readonly IReadOnlyList<SiteHost>[] _eachHost = [.. site.Hosts.Select(host => (IReadOnlyList<SiteHost>)[host])];
    private readonly HttpMessageInvoker _invoker = httpClientFactory is IHttpMessageHandlerFactory handlers
        ? new HttpMessageInvoker(handlers.CreateHandler(CachePurgeHttp.ClientName), disposeHandler: false)
        : CreateClient(httpClientFactory, endpoint);

    private EvictionConfirmer? _confirmer;
    private int _callsInFlight;
    private string?[]? _eachScheme;
    private PendingCompletions? _completions;

    public CacheProtocol Protocol => _protocol;

    /// <summary>The purges accepted by a CDN that completes later and not yet reported done; null for a backend that completes when it answers.</summary>
    public PendingCompletions? Completions => _protocol.Capabilities.Completion == PurgeCompletion.ReportedLater
        ? LazyInitializer.EnsureInitialized(ref _completions, () => new PendingCompletions(endpoint.Name, _protocol.Capabilities.MaxItemsInProgress, AskCompletionAsync, CreateTimeout, sendAgain, metrics, time, logger))
        : null;

    /// <summary>What this cache did lately, for its health on the admin page; the queue adds the latency of what it acknowledges.</summary>
    public EndpointActivity Activity { get; } = new(endpoint.Name, time);

    /// <summary>How the cache is doing now.</summary>
    public EndpointHealth Health(JournalStatus journal) => Activity.Snapshot(resilience.Breaker, journal);

    /// <summary>The purge calls sent to the cache and not answered yet, now (a retry's wait between two attempts is not one).</summary>
    public int CallsInFlight => Volatile.Read(ref _callsInFlight);

    /// <summary>How many site hosts each path is purged on.</summary>
    public int HostCount => _hosts.Count;

    /// <summary>Purges a path on every host, or everything on every host; fails if any host fails.</summary>
    public ValueTask<Delivery> SendAsync(PurgeTarget target, AttemptTimeout timeout)
    {
        // A cache asked directly is sent a request per host, and so is a CDN whose call cannot name every host's URL;
        // one that takes a single URL a call is sent one per host and scheme.
        var perScheme = _protocol.Capabilities.OneCallPerScheme(endpoint.Schemes.Count);
        var perHost = (_hosts.Count > 1 || perScheme) && _protocol.Capabilities.OneCallPerHost(target.Kind, _hosts.Count, endpoint.Schemes.Count);
        return perHost ? SendToEveryHostAsync(target, timeout) : SendAsync(new PurgeCall(target.Kind, [target.Value], _hosts), timeout);
    }

    /// <summary>Purges several targets of one kind in one call: tags (which are not per host), or paths for a backend that names every host in a call.</summary>
    public ValueTask<Delivery> SendBatchAsync(PurgeTargetKind kind, IReadOnlyList<string> values, AttemptTimeout timeout) =>
        SendAsync(new PurgeCall(kind, values, _hosts), timeout);

    /// <summary>A timeout for a sender of its own (a probe) that stops when <paramref name="cancellationToken"/> fires.</summary>
    public AttemptTimeout CreateTimeout(CancellationToken cancellationToken) => new(endpoint.Timeout, cancellationToken);

    /// <summary>
    /// Runs the protocol's read-only connection check, step by step until one does not succeed; null when the cache
    /// has none. Once, past the circuit breaker and retries: it reports how the cache answers now.
    /// </summary>
    public async Task<ConnectionCheck?> CheckConnectionAsync(CancellationToken cancellationToken)
    {
        if (_protocol.ConnectionCheckSteps == 0)
        {
            return null;
        }

        using var timeout = CreateTimeout(cancellationToken);
        List<string> found = [];
        List<string> warnings = [];
        for (var step = 0; step < _protocol.ConnectionCheckSteps; step++)
        {
            CheckStep checkStep;
            var attemptToken = timeout.Start();
            try
            {
                using var request = await _protocol.CreateCheckRequestAsync(step, attemptToken).ConfigureAwait(false);
                using var response = await _invoker.SendAsync(request, attemptToken).ConfigureAwait(false);
                checkStep = await _protocol.ReadCheckAnswerAsync(step, response, attemptToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                var outcome = ex is BackendCredentialException { Refused: true } ? ConnectionCheckOutcome.Refused : ConnectionCheckOutcome.Failed;
                checkStep = new CheckStep(outcome, ex is OperationCanceledException ? $"no answer within {timeout.Timeout.TotalSeconds:0.###} s" : ex.Message);
            }
            finally
            {
                timeout.Stop();
            }

            if (checkStep.Outcome != ConnectionCheckOutcome.Succeeded)
            {
                return new ConnectionCheck(endpoint.Name, checkStep.Outcome, checkStep.Description);
            }

            found.Add(checkStep.Description);
            if (checkStep.Warning is { } warning)
            {
                warnings.Add(warning);
            }
        }

        return new ConnectionCheck(endpoint.Name, ConnectionCheckOutcome.Succeeded, string.Join("; ", found)) { Warnings = warnings };
    }

    private async ValueTask<Delivery> SendToEveryHostAsync(PurgeTarget target, AttemptTimeout timeout)
    {
        var result = new Delivery(PurgeOutcome.NotCached, null, null);
        _eachScheme ??= _protocol.Capabilities.OneCallPerScheme(endpoint.Schemes.Count) ? [.. endpoint.Schemes] : [null];
        foreach (var host in _eachHost)
        {
            foreach (var scheme in _eachScheme)
            {
                var delivery = await SendAsync(new PurgeCall(target.Kind, [target.Value], host, scheme), timeout).ConfigureAwait(false);
                if (!delivery.Succeeded)
                {
                    return delivery;
                }

                if (delivery.Outcome == PurgeOutcome.Purged || result.Confirmed is null)
                {
                    result = delivery;
                }
            }
        }

        return result;
    }

    // Pooled: a purge's state machine is reused by the next one instead of being allocated for each.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Delivery> SendAsync(PurgeCall call, AttemptTimeout timeout)
    {
        var cancellationToken = timeout.CancellationToken;
        var completions = Completions;
        var reserved = completions is null ? 0 : await completions.WaitForRoomAsync(call.Values.Count, cancellationToken).ConfigureAwait(false);
        try
        {
            var started = time.GetTimestamp();
            Delivery delivery;
            PurgeTicket? ticket = null;
            for (var retry = 0; ; retry++)
            {
                // While the cache's circuit is open this waits, and is neither an attempt nor a failure.
                var probe = await resilience.Breaker.WaitAsync(cancellationToken).ConfigureAwait(false);
                TimeSpan delay;
                try
                {
                    // A request cannot be sent twice: each attempt builds its own.
                    using var request = await _protocol.CreateRequestAsync(call, cancellationToken).ConfigureAwait(false);
                    HttpResponseMessage answer;
                    PurgeAnswer meaning;
                    var attemptToken = timeout.Start();
                    Interlocked.Increment(ref _callsInFlight);
                    try
                    {
                        answer = await _invoker.SendAsync(request, attemptToken).ConfigureAwait(false);
                        try
                        {
                            // Within the attempt's time: a backend that answers in its body (a CDN's JSON) may send it slowly.
                            meaning = await _protocol.ReadAnswerAsync(answer, attemptToken).ConfigureAwait(false);
                        }
                        catch
                        {
                            answer.Dispose();
                            throw;
                        }
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _callsInFlight);
                        timeout.Stop();
                    }

                    using var response = answer;
                    var transient = EndpointResilience.IsTransient(response.StatusCode);
                    resilience.Breaker.Report(transient, probe);
                    delivery = new Delivery(meaning.Outcome, (int)response.StatusCode, meaning.Error);
                    ticket = meaning.Ticket;
                    if (!transient || retry >= resilience.RetryAttempts)
                    {
                        break;
                    }

                    delay = resilience.RetryDelay(retry + 1, response.Headers.RetryAfter, time.GetUtcNow());
                }
                catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    // No answer, or none within the endpoint's timeout.
                    resilience.Breaker.Report(failed: true, probe);
                    var outcome = ex is BackendCredentialException { Refused: true } ? PurgeOutcome.Refused : PurgeOutcome.Failed;
                    delivery = new Delivery(outcome, null, ex is OperationCanceledException ? $"no answer within {timeout.Timeout.TotalSeconds:0.###} s" : ex.Message);
                    ticket = null;
                    if (retry >= resilience.RetryAttempts)
                    {
                        break;
                    }

                    delay = resilience.RetryDelay(retry + 1, null, time.GetUtcNow());
                }
                catch
                {
                    resilience.Breaker.Abandon(probe);
                    throw;
                }

                await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            }

            var elapsed = time.GetElapsedTime(started);
            delivery = delivery with { AcknowledgedTimestamp = time.GetTimestamp() };

            // The CDN holds the purge durably: the queue acknowledges it, and its completion is asked for from here on.
            if (delivery.Succeeded && ticket is not null && completions is not null)
            {
                completions.Track(ticket, [.. call.Values.Distinct().Select(value => new PurgeTarget(call.Kind, value))], time.GetUtcNow(), reserved);
                reserved = 0;
            }

            metrics.RequestCompleted(endpoint.Name, delivery.Outcome, elapsed);
            if (delivery.Succeeded && endpoint.ConfirmEviction && call.Kind == PurgeTargetKind.Path && _protocol is HostHeaderProtocol direct)
            {
                delivery = await ConfirmAsync(direct, delivery, call.Values[0], call.Host, cancellationToken).ConfigureAwait(false);
            }

            // A call for one scheme of a page (Bunny) names it, or its http and https results would read alike.
            var hostLabel = call.Hosts.Count == 1 ? (call.Scheme is { } scheme ? $"{scheme}://{call.Host.HeaderValue}" : call.Host.HeaderValue) : string.Join(' ', call.Hosts);
            var result = new PurgeResult(time.GetUtcNow(), endpoint.Name, call.Describe(), hostLabel, delivery.Status, delivery.Outcome, elapsed, delivery.Error, delivery.Confirmed);
            results.Add(result);
            Activity.Answered(delivery.Succeeded, delivery.Error ?? delivery.Outcome.ToString(), result.Time);
            delivery = delivery with { Result = result };
            if (delivery.Succeeded && logger.IsEnabled(LogLevel.Debug))
            {
                CachePurgeLog.Purged(logger, endpoint.Name, result.Target, result.Host, delivery.Status ?? 0, elapsed.TotalMilliseconds);
            }

            return delivery;
        }
        finally
        {
            // A call the CDN did not accept (or that never went) gives back the room it held.
            completions?.Release(reserved);
        }
    }

    /// <summary>
    /// Asks the CDN where <paramref name="ticket"/> stands, through the circuit breaker and within the endpoint's
    /// timeout. A question that gets no usable answer says the purge is still in progress, with why.
    /// </summary>
    private async ValueTask<CompletionPoll> AskCompletionAsync(PurgeTicket ticket, AttemptTimeout timeout)
    {
        var cancellationToken = timeout.CancellationToken;
        var probe = false;
        try
        {
            using var request = await _protocol.CreateCompletionRequestAsync(ticket, cancellationToken).ConfigureAwait(false);
            if (request is null)
            {
                // Nothing to ask (Akamai): done at the estimate, which is when the tracker asks.
                return new CompletionPoll(new CompletionAnswer(CompletionStatus.Completed));
            }

            probe = await resilience.Breaker.WaitAsync(cancellationToken).ConfigureAwait(false);
            var attemptToken = timeout.Start();
            try
            {
                using var response = await _invoker.SendAsync(request, attemptToken).ConfigureAwait(false);
                var answer = await _protocol.ReadCompletionAsync(ticket, response, attemptToken).ConfigureAwait(false);
                var transient = EndpointResilience.IsTransient(response.StatusCode);
                resilience.Breaker.Report(transient, probe);
                var retryAfter = response.Headers.RetryAfter switch
                {
                    { Delta: { } delta } => delta,
                    { Date: { } date } => date - time.GetUtcNow(),
                    _ => (TimeSpan?)null,
                };
                return new CompletionPoll(transient ? new CompletionAnswer(CompletionStatus.InProgress, StatusLine(response)) : answer, retryAfter);
            }
            finally
            {
                timeout.Stop();
            }
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            resilience.Breaker.Report(failed: true, probe);
            return new CompletionPoll(new CompletionAnswer(CompletionStatus.InProgress, ex is OperationCanceledException ? $"no answer within {timeout.Timeout.TotalSeconds:0.###} s" : ex.Message));
        }
        catch
        {
            resilience.Breaker.Abandon(probe);
            throw;
        }
    }

    private static string StatusLine(HttpResponseMessage response) => $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";

    private async Task<Delivery> ConfirmAsync(HostHeaderProtocol protocol, Delivery delivery, string path, SiteHost host, CancellationToken cancellationToken)
    {
        _confirmer ??= new EvictionConfirmer(_client, protocol);
        try
        {
            var (confirmed, detail) = await _confirmer.ConfirmAsync(path, host, cancellationToken).ConfigureAwait(false);
            metrics.EvictionChecked(endpoint.Name, confirmed);
            return delivery with { Confirmed = confirmed, Error = confirmed ? null : "not confirmed: " + detail };
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            metrics.EvictionChecked(endpoint.Name, confirmed: false);
            return delivery with { Confirmed = false, Error = "not confirmed: " + ex.Message };
        }
    }

    private static HttpClient CreateClient(IHttpClientFactory factory, CacheEndpoint endpoint)
    {
        var client = factory.CreateClient(CachePurgeHttp.ClientName);
        client.Timeout = endpoint.Timeout;
        return client;
    }
}
