using System.Diagnostics;

namespace CachePurge.Bench;

/// <summary>The designs the engine is compared with, written as plainly as their users write them.</summary>
internal static class Baselines
{
    private static readonly HttpMethod Purge = new("PURGE");

    /// <summary>One request at a time, like django-cachepurge's worker or Wagtail's HTTP backend; optionally a new connection for each.</summary>
    public static async Task<Throughput> SequentialAsync(Uri cache, string host, string name, int count, bool closeConnection)
    {
        using var client = CreateClient();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            using var request = new HttpRequestMessage(Purge, new Uri(cache, $"/bench/{name}/{i}"));
            request.Headers.Host = host;
            request.Headers.ConnectionClose = closeConnection;
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }

        return new Throughput(count, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>A plain HttpClient with <paramref name="concurrency"/> requests in flight: what the engine's overhead is measured against.</summary>
    public static async Task<Throughput> ParallelAsync(Uri cache, string host, string name, int count, int concurrency)
    {
        using var client = CreateClient();
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, cancellationToken) =>
        {
            using var request = new HttpRequestMessage(Purge, new Uri(cache, $"/bench/{name}/{i}"));
            request.Headers.Host = host;
            using var response = await client.SendAsync(request, cancellationToken);
            response.EnsureSuccessStatusCode();
        });
        return new Throughput(count, Stopwatch.GetElapsedTime(started));
    }

    private static HttpClient CreateClient() => new(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 256 });
}
