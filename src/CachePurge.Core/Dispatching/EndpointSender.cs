using System.Net.Http;
using CachePurge.Core.Diagnostics;
using CachePurge.Core.Protocols;
using Microsoft.Extensions.Logging;
using Polly;

namespace CachePurge.Core.Dispatching;

/// <summary>Sends the requests of one target to one endpoint and records each answer.</summary>
internal sealed class EndpointSender(
    CacheEndpoint endpoint,
    IReadOnlyList<SiteHost> hosts,
    IHttpClientFactory httpClientFactory,
    ResiliencePipeline<HttpResponseMessage> resilience,
    RecentPurgeResults results,
    CachePurgeMetrics metrics,
    TimeProvider time,
    ILogger logger)
{
    private readonly CacheProtocol _protocol = CacheProtocol.For(endpoint);

    // The factory's handlers live forever (see CachePurgeHttp), so one client per cache is safe to keep.
    private readonly HttpClient _client = CreateClient(httpClientFactory, endpoint);
    private EvictionConfirmer? _confirmer;

    public CacheProtocol Protocol => _protocol;

    /// <summary>Purges a path on every host, or everything on every host; fails if any host fails.</summary>
    public async Task<Delivery> SendAsync(PurgeTarget target, CancellationToken cancellationToken)
    {
        var result = new Delivery(PurgeOutcome.NotCached, null, null);
        foreach (var host in hosts)
        {
            var delivery = await SendAsync(target, host, null, cancellationToken).ConfigureAwait(false);
            if (!delivery.Succeeded)
            {
                return delivery;
            }

            if (delivery.Outcome == PurgeOutcome.Purged || result.Confirmed is null)
            {
                result = delivery;
            }
        }

        return result;
    }

    /// <summary>Purges every page carrying one of the space-separated tags of <paramref name="tagHeaderValue"/>; tags are not per host.</summary>
    public Task<Delivery> SendTagsAsync(string tagHeaderValue, CancellationToken cancellationToken) =>
        SendAsync(PurgeTarget.ForTag(tagHeaderValue), hosts[0], tagHeaderValue, cancellationToken);

    private HttpRequestMessage CreateRequest(PurgeTarget target, SiteHost host, string? tagHeaderValue) => target.Kind switch
    {
        PurgeTargetKind.Everything => _protocol.CreateEverythingRequest(host),
        PurgeTargetKind.Tag => _protocol.CreateTagRequest(tagHeaderValue ?? target.Value, host),
        _ => _protocol.CreatePathRequest(target.Value, host),
    };

    private async Task<Delivery> SendAsync(PurgeTarget target, SiteHost host, string? tagHeaderValue, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        Delivery delivery;
        try
        {
            // A request cannot be sent twice: each attempt of the pipeline builds its own.
            using var response = await resilience.ExecuteAsync(
                static async (state, token) =>
                {
                    using var request = state.Sender.CreateRequest(state.Target, state.Host, state.Tags);
                    return await state.Sender._client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
                },
                (Sender: this, Target: target, Host: host, Tags: tagHeaderValue),
                cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var outcome = _protocol.Classify(response.StatusCode);
            delivery = new Delivery(outcome, status, outcome is PurgeOutcome.Purged or PurgeOutcome.NotCached ? null : $"HTTP {status} {response.ReasonPhrase}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutException or Polly.CircuitBreaker.BrokenCircuitException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            delivery = new Delivery(PurgeOutcome.Failed, null, ex.Message);
        }

        var elapsed = time.GetElapsedTime(started);
        delivery = delivery with { AcknowledgedTimestamp = time.GetTimestamp() };
        metrics.RequestCompleted(endpoint.Name, delivery.Outcome, elapsed);
        if (delivery.Succeeded && endpoint.ConfirmEviction && target.Kind == PurgeTargetKind.Path)
        {
            delivery = await ConfirmAsync(delivery, target.Value, host, cancellationToken).ConfigureAwait(false);
        }

        var result = new PurgeResult(time.GetUtcNow(), endpoint.Name, target.ToString(), host.HeaderValue, delivery.Status, delivery.Outcome, elapsed, delivery.Error, delivery.Confirmed);
        results.Add(result);
        delivery = delivery with { Result = result };
        if (delivery.Succeeded)
        {
            CachePurgeLog.Purged(logger, endpoint.Name, target.ToString(), host.HeaderValue, delivery.Status ?? 0, elapsed.TotalMilliseconds);
        }

        return delivery;
    }

    private async Task<Delivery> ConfirmAsync(Delivery delivery, string path, SiteHost host, CancellationToken cancellationToken)
    {
        _confirmer ??= new EvictionConfirmer(_client, _protocol);
        try
        {
            var (confirmed, detail) = await _confirmer.ConfirmAsync(path, host, cancellationToken).ConfigureAwait(false);
            metrics.EvictionChecked(endpoint.Name, confirmed);
            return delivery with { Confirmed = confirmed, Error = confirmed ? null : "not confirmed: " + detail };
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.CircuitBreaker.BrokenCircuitException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
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
