using System.Text;
using CachePurge.Core.Transport;

namespace CachePurge.Core.Tests.Transport;

public sealed class HttpRequestSerializerTests
{
    [Fact]
    public void A_purge_is_written_as_an_http_1_1_request_with_its_host_and_headers()
    {
        using var request = new HttpRequestMessage(new HttpMethod("PURGE"), "http://127.0.0.1:6081/news/a%20b?page=2");
        request.Headers.Host = "www.example.com";
        request.Headers.TryAddWithoutValidation("xkey-purge", "ci-1 ci-2");

        var text = Encoding.ASCII.GetString(HttpRequestSerializer.Serialize(request));

        Assert.Equal("PURGE /news/a%20b?page=2 HTTP/1.1\r\nHost: www.example.com\r\nxkey-purge: ci-1 ci-2\r\n\r\n", text);
    }

    [Fact]
    public void Without_a_host_header_the_uri_authority_is_the_host()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://cache.internal:8080/");

        Assert.StartsWith("GET / HTTP/1.1\r\nHost: cache.internal:8080\r\n", Encoding.ASCII.GetString(HttpRequestSerializer.Serialize(request)));
    }

    [Theory]
    [InlineData("a\r\nX-Injected: 1")]
    [InlineData("a\nb")]
    [InlineData("caf\u00e9")]
    [InlineData("nul\0")]
    public void A_header_value_that_could_break_the_framing_is_refused(string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "http://127.0.0.1/");
        request.Headers.TryAddWithoutValidation("X-Token", value);

        Assert.Throws<HttpRequestException>(() => HttpRequestSerializer.Serialize(request));
    }
}
