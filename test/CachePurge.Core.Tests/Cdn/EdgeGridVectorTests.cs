using System.Globalization;
using System.Text;
using System.Text.Json;
using CachePurge.Core.Protocols.Akamai;
using CachePurge.Testing.Cdn;

namespace CachePurge.Core.Tests.Cdn;

/// <summary>
/// The engine's EdgeGrid signer and the contract server's verifier, each against Akamai's published test vectors
/// (test/CachePurge.Testing/Cdn/EdgeGrid/testdata.json, copied from akamai/AkamaiOPEN-edgegrid-python).
/// </summary>
public sealed class EdgeGridVectorTests
{
    private static readonly Lazy<JsonElement> Vectors = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Cdn", "EdgeGrid", "testdata.json"))).RootElement);

    public static TheoryData<string> Cases() => [.. Vectors.Value.GetProperty("tests").EnumerateArray().Select(t => t.GetProperty("testName").GetString()!)];

    // The Python library refuses "Header with leading and interior spaces" before signing, so it publishes no data to sign for it.
    public static TheoryData<string> CasesWithDataToSign() => [.. Vectors.Value.GetProperty("tests").EnumerateArray()
        .Where(t => t.TryGetProperty("expectedDataToSign", out var data) && data.GetString() is { Length: > 0 })
        .Select(t => t.GetProperty("testName").GetString()!)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_signer_gives_the_published_authorization_header(string name)
    {
        var (method, uri, headers, body) = Request(name);

        var authorization = Signer().Sign(method, uri, headers, body, Get("timestamp"), Get("nonce"));

        Assert.Equal(Case(name).GetProperty("expectedAuthorization").GetString(), authorization);
    }

    [Theory]
    [MemberData(nameof(CasesWithDataToSign))]
    public void The_signer_signs_the_published_data(string name)
    {
        var (method, uri, headers, body) = Request(name);
        var unsigned = $"EG1-HMAC-SHA256 client_token={Get("client_token")};access_token={Get("access_token")};timestamp={Get("timestamp")};nonce={Get("nonce")};";

        var data = Signer().DataToSign(method, uri, headers, body, unsigned);

        Assert.Equal(Case(name).GetProperty("expectedDataToSign").GetString() + unsigned, data);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_contract_servers_verifier_accepts_the_published_header_and_refuses_it_for_another_path(string name)
    {
        var (method, uri, headers, body) = Request(name);
        var verifier = new EdgeGridVerifier(Get("client_token"), Get("client_secret"), Get("access_token"), Vectors.Value.GetProperty("max_body").GetInt32(), [.. Vectors.Value.GetProperty("headers_to_sign").EnumerateArray().Select(h => h.GetString()!)]);
        var header = Case(name).GetProperty("expectedAuthorization").GetString();
        var signedAt = DateTimeOffset.ParseExact(Get("timestamp"), "yyyyMMdd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        var byName = headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);

        Assert.Null(verifier.Check(header, method, uri.Scheme, uri.Host, uri.PathAndQuery, byName, body, signedAt.AddSeconds(10), TimeSpan.FromSeconds(30)));
        var refused = verifier.Check(header, method, uri.Scheme, uri.Host, uri.PathAndQuery + "x", byName, body, signedAt, TimeSpan.FromSeconds(30));
        Assert.Equal("The signature does not match", refused?.Detail);
    }

    [Fact]
    public void The_signing_key_and_the_content_hash_are_the_published_ones()
    {
        Assert.Equal(Get("sign_key_test"), EdgeGridSigner.SigningKey(Get("client_secret"), Get("timestamp")));
        Assert.Equal(Get("content_hash_test"), EdgeGridSigner.ContentHash("POST", "test_body"u8));
    }

    [Fact]
    public void A_json_post_with_the_default_max_body_gives_the_published_header()
    {
        var signer = new EdgeGridSigner(Get("client_token"), Get("client_secret"), Get("access_token"));
        var uri = new Uri(new Uri(Get("base_url")), "/testapi/v1/t3?extended=true");

        var authorization = signer.Sign("POST", uri, [], """{"key": "value"}"""u8, Get("timestamp"), Get("nonce"));

        Assert.Equal(Get("jsontest_hash"), authorization);
    }

    [Fact]
    public void Only_the_first_max_body_bytes_of_a_post_are_hashed_and_no_other_method_is()
    {
        var body = Encoding.UTF8.GetBytes(new string('d', EdgeGridSigner.DefaultMaxBody + 1));

        Assert.Equal(EdgeGridSigner.ContentHash("POST", body.AsSpan(0, EdgeGridSigner.DefaultMaxBody)), EdgeGridSigner.ContentHash("POST", body));
        Assert.NotEqual(EdgeGridSigner.ContentHash("POST", body.AsSpan(0, 10)), EdgeGridSigner.ContentHash("POST", body.AsSpan(0, 11)));
        Assert.Equal("", EdgeGridSigner.ContentHash("PUT", body));
        Assert.Equal("", EdgeGridSigner.ContentHash("POST", []));
    }

    [Theory]
    [InlineData("2014-03-21T19:34:21Z", "20140321T19:34:21+0000")]
    [InlineData("2026-11-30T01:02:03+02:00", "20261129T23:02:03+0000")]
    public void The_timestamp_is_utc_in_edgegrids_format(string time, string expected)
    {
        Assert.Equal(expected, EdgeGridSigner.FormatTimestamp(DateTimeOffset.Parse(time, CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Every_nonce_is_new()
    {
        var nonces = Enumerable.Range(0, 1_000).Select(_ => EdgeGridSigner.NewNonce()).ToHashSet();

        Assert.Equal(1_000, nonces.Count);
    }

    private static EdgeGridSigner Signer() => new(
        Get("client_token"),
        Get("client_secret"),
        Get("access_token"),
        Vectors.Value.GetProperty("max_body").GetInt32(),
        [.. Vectors.Value.GetProperty("headers_to_sign").EnumerateArray().Select(h => h.GetString()!)]);

    private static (string Method, Uri Uri, List<KeyValuePair<string, string>> Headers, byte[] Body) Request(string name)
    {
        var request = Case(name).GetProperty("request");
        List<KeyValuePair<string, string>> headers = request.TryGetProperty("headers", out var list)
            ? [.. list.EnumerateArray().SelectMany(h => h.EnumerateObject()).Select(h => KeyValuePair.Create(h.Name, h.Value.GetString()!))]
            : [];
        var body = request.TryGetProperty("data", out var data) ? Encoding.UTF8.GetBytes(data.GetString()!) : [];
        return (request.GetProperty("method").GetString()!, new Uri(new Uri(Get("base_url")), request.GetProperty("path").GetString()), headers, body);
    }

    private static JsonElement Case(string name) => Vectors.Value.GetProperty("tests").EnumerateArray().Single(t => t.GetProperty("testName").GetString() == name);

    private static string Get(string property) => Vectors.Value.GetProperty(property).ToString();
}
