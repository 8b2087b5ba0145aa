using System.Net;
using CachePurge.Core.Tests.Infrastructure;
using CachePurge.Core.Transport;

namespace CachePurge.Core.Tests.Transport;

public sealed class PipeliningHttpHandlerTests : IAsyncDisposable
{
    private readonly RawHttpServer _server = new();

    [Fact]
    public async Task Concurrent_requests_share_a_few_connections_and_each_gets_its_own_answer()
    {
        using var client = CreateClient(maxConnections: 2);

        var bodies = await Task.WhenAll(Enumerable.Range(0, 500).Select(i => GetAsync(client, $"/p/{i}")));

        Assert.Equal(Enumerable.Range(0, 500).Select(i => $"/p/{i}"), bodies);
        Assert.InRange(_server.Connections, 1, 2);
        Assert.True(_server.MostRequestsInOneRead > 1, "the server never received two requests in one read: nothing was pipelined");
    }

    [Fact]
    public async Task Requests_a_closing_connection_left_unanswered_are_sent_again_on_a_new_one()
    {
        _server.Answer = (n, _) => n == 3 ? RawAnswer.OkThenClose : RawAnswer.Ok;
        using var client = CreateClient(maxConnections: 1);

        var bodies = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => GetAsync(client, $"/c/{i}")));

        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"/c/{i}"), bodies);
        Assert.True(_server.Connections >= 2, $"{_server.Connections} connection(s)");
    }

    [Fact]
    public async Task A_request_whose_connection_closed_without_an_answer_is_sent_again_once()
    {
        _server.Answer = (n, _) => n == 1 ? RawAnswer.CloseWithoutAnswer : RawAnswer.Ok;
        using var client = CreateClient(maxConnections: 1);

        Assert.Equal("/first", await GetAsync(client, "/first"));
        Assert.Equal("/second", await GetAsync(client, "/second"));

        Assert.Equal(2, _server.Connections);
    }

    [Fact]
    public async Task A_cache_that_never_answers_times_out_and_the_next_request_gets_a_new_connection()
    {
        _server.Answer = (n, _) => n == 1 ? RawAnswer.Never : RawAnswer.Ok;
        using var client = CreateClient(maxConnections: 1);
        client.Timeout = TimeSpan.FromMilliseconds(500);

        await Assert.ThrowsAsync<TaskCanceledException>(() => GetAsync(client, "/stuck"));
        Assert.Equal("/after", await GetAsync(client, "/after"));

        Assert.Equal(2, _server.Connections);
    }

    [Fact]
    public async Task A_cache_that_is_down_fails_the_request_with_an_http_error()
    {
        using var client = new HttpClient(new PipeliningHttpHandler(new SocketsHttpHandler()));

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"http://127.0.0.1:{FreePort.Next()}/down"));
    }

    [Fact]
    public async Task Requests_marked_disabled_go_one_at_a_time_through_the_inner_handler()
    {
        using var client = CreateClient(maxConnections: 1);

        var bodies = await Task.WhenAll(Enumerable.Range(0, 50).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_server.BaseUrl, $"/d/{i}"));
            request.Options.Set(PipeliningHttpHandler.Disabled, true);
            using var response = await client.SendAsync(request);
            return await response.Content.ReadAsStringAsync();
        }));

        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"/d/{i}"), bodies);
        Assert.Equal(1, _server.MostRequestsInOneRead);
    }

    [Fact]
    public async Task A_header_value_with_a_line_break_is_refused_before_anything_is_sent()
    {
        using var client = CreateClient(maxConnections: 1);
        using var request = new HttpRequestMessage(new HttpMethod("PURGE"), new Uri(_server.BaseUrl, "/x"));
        request.Headers.TryAddWithoutValidation("X-Token", "a\r\nPURGE /everything HTTP/1.1");

        await Assert.ThrowsAsync<HttpRequestException>(() => client.SendAsync(request));

        Assert.Equal(0, _server.Requests);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static HttpClient CreateClient(int maxConnections) => new(new PipeliningHttpHandler(new SocketsHttpHandler { UseProxy = false })
    {
        MaxConnectionsPerServer = maxConnections,
        PipelineDepth = 16,
    });

    private async Task<string> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(_server.BaseUrl, path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
