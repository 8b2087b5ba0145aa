using System.Text;
using CachePurge.Core.Transport;

namespace CachePurge.Core.Tests.Transport;

public sealed class HttpResponseParserTests
{
    [Fact]
    public void A_response_framed_by_content_length_ends_where_the_next_one_starts()
    {
        var bytes = Bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Varnish: 32770\r\n\r\nhelloHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");

        var first = HttpResponseParser.TryParse(bytes, isHead: false, atEnd: false, out var consumed)!;
        var second = HttpResponseParser.TryParse(bytes.AsSpan(consumed), isHead: false, atEnd: false, out var consumedSecond)!;

        Assert.Equal((200, "OK", "hello"), (first.Status, first.Reason, Encoding.ASCII.GetString(first.Body)));
        Assert.Contains(new KeyValuePair<string, string>("X-Varnish", "32770"), first.Headers);
        Assert.Equal((404, "Not Found"), (second.Status, second.Reason));
        Assert.Equal(bytes.Length, consumed + consumedSecond);
        Assert.False(first.CloseConnection);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Le")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")]
    public void A_response_not_received_whole_yet_is_not_parsed(string partial)
    {
        Assert.Null(HttpResponseParser.TryParse(Bytes(partial), isHead: false, atEnd: false, out var consumed));
        Assert.Equal(0, consumed);
    }

    [Fact]
    public void A_chunked_body_is_joined_and_its_extensions_and_trailers_are_skipped()
    {
        var bytes = Bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\nNEXT");

        var parsed = HttpResponseParser.TryParse(bytes, isHead: false, atEnd: false, out var consumed)!;

        Assert.Equal("hello, world", Encoding.ASCII.GetString(parsed.Body));
        Assert.Equal(bytes.Length - 4, consumed);
    }

    [Fact]
    public void An_interim_100_continue_is_skipped()
    {
        var parsed = HttpResponseParser.TryParse(Bytes("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"), isHead: false, atEnd: false, out _)!;

        Assert.Equal(204, parsed.Status);
    }

    [Fact]
    public void A_head_response_has_no_body_whatever_its_content_length()
    {
        var bytes = Bytes("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");

        var parsed = HttpResponseParser.TryParse(bytes, isHead: true, atEnd: false, out var consumed)!;

        Assert.Empty(parsed.Body);
        Assert.Equal(bytes.Length, consumed);
    }

    [Fact]
    public void A_body_without_framing_runs_to_the_end_of_the_connection()
    {
        var bytes = Bytes("HTTP/1.0 200 OK\r\n\r\nall of it");

        Assert.Null(HttpResponseParser.TryParse(bytes, isHead: false, atEnd: false, out _));
        var parsed = HttpResponseParser.TryParse(bytes, isHead: false, atEnd: true, out _)!;

        Assert.Equal("all of it", Encoding.ASCII.GetString(parsed.Body));
        Assert.True(parsed.CloseConnection);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", true)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: keep-alive, Upgrade\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", true)]
    [InlineData("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", false)]
    public void Connection_close_and_http_1_0_end_the_connection(string response, bool close)
    {
        Assert.Equal(close, HttpResponseParser.TryParse(Bytes(response), isHead: false, atEnd: false, out _)!.CloseConnection);
    }

    [Theory]
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("SSH-2.0-OpenSSH\r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nX-A: 1\r\n folded\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nBad Name: 1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabcd\r\n")]
    public void Bytes_that_are_not_an_http_1_response_are_an_http_error(string response)
    {
        Assert.Throws<HttpRequestException>(() => HttpResponseParser.TryParse(Bytes(response), isHead: false, atEnd: false, out _));
    }

    [Fact]
    public void A_connection_closed_in_the_middle_of_a_response_is_an_http_error()
    {
        Assert.Throws<HttpRequestException>(() => HttpResponseParser.TryParse(Bytes("HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nhalf"), isHead: false, atEnd: true, out _));
    }

    private static byte[] Bytes(string text) => Encoding.ASCII.GetBytes(text);
}
