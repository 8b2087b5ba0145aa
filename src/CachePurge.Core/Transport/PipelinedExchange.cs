using System.Net.Http;

namespace CachePurge.Core.Transport;

/// <summary>One request on its way through a pipelined connection, and the caller waiting for its answer.</summary>
internal sealed class PipelinedExchange : TaskCompletionSource<HttpResponseMessage>
{
    private CancellationTokenRegistration _cancellation;

    public PipelinedExchange(HttpRequestMessage request, byte[] bytes)
        : base(TaskCreationOptions.None)
    {
        Request = request;
        Bytes = bytes;
        IsHead = request.Method == HttpMethod.Head;
    }

    public HttpRequestMessage Request { get; }

    public byte[] Bytes { get; }

    public bool IsHead { get; }

    /// <summary>How many connections it was written to; one that closed before answering gets one more.</summary>
    public int Attempts { get; set; }

    /// <summary>The connection it was last given to: a cancelled caller aborts that connection.</summary>
    public PipelinedConnection? Connection { get; set; }

    /// <summary>On cancellation (the client's timeout, or shutdown) the caller stops waiting, and the connection is abandoned: its answers queue behind this one.</summary>
    public void WatchCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.Register(static (state, token) =>
            {
                var exchange = (PipelinedExchange)state!;
                if (exchange.TrySetCanceled(token))
                {
                    exchange.Connection?.Abort(new OperationCanceledException(token));
                }
            }, this);
        }
    }

    public void Complete(ParsedResponse parsed)
    {
        var response = new HttpResponseMessage((System.Net.HttpStatusCode)parsed.Status)
        {
            ReasonPhrase = parsed.Reason,
            Version = parsed.Version,
            RequestMessage = Request,
            Content = new ByteArrayContent(parsed.Body),
        };
        foreach (var (name, value) in parsed.Headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                response.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (!TrySetResult(response))
        {
            response.Dispose();
        }

        _cancellation.Dispose();
    }

    public void Fail(Exception exception)
    {
        TrySetException(exception);
        _cancellation.Dispose();
    }
}
