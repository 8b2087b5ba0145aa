using System.Net;
using System.Text;
using CachePurge.Testing.Cdn;

namespace CachePurge.Core.Tests.Cdn;

/// <summary>
/// The contract server's SigV4 verifier against AWS's published SigV4 test suite (Cdn/SigV4TestSuite, whose README
/// says where the files come from): it must compute AWS's own signatures before it may judge the engine's.
/// </summary>
public sealed class SigV4VerifierTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private static readonly DateTimeOffset SignedAt = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("get-vanilla")]
    [InlineData("get-vanilla-query-order-key-case")]
    [InlineData("get-space")]
    [InlineData("post-vanilla")]
    [InlineData("post-x-www-form-urlencoded")]
    [InlineData("post-sts-header-before")]
    public void The_verifier_accepts_the_suites_signed_request(string name)
    {
        var request = Signed(name);

        var verdict = SigV4Verifier.Verify(request, key => key == "AKIDEXAMPLE" ? Secret : null, _ => null, "us-east-1", "service", SignedAt);

        Assert.True(verdict.Valid, verdict.Message);
    }

    [Theory]
    [InlineData("get-vanilla")]
    [InlineData("post-x-www-form-urlencoded")]
    public void The_verifier_computes_the_suites_signature(string name)
    {
        var request = Read(name);
        var authorization = Text(name + ".authz");
        var signedHeaders = authorization.Split("SignedHeaders=")[1].Split(',')[0].Split(';');

        var canonical = SigV4Verifier.CanonicalRequest(request, signedHeaders, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(request.Body)));
        var stringToSign = SigV4Verifier.StringToSign("20150830T123600Z", "20150830/us-east-1/service/aws4_request", canonical);

        Assert.Equal(authorization.Split("Signature=")[1], SigV4Verifier.Signature(Secret, "20150830", "us-east-1", "service", stringToSign));
        if (File.Exists(Path("post-x-www-form-urlencoded.creq")) && name == "post-x-www-form-urlencoded")
        {
            Assert.Equal(Text(name + ".creq"), canonical);
            Assert.Equal(Text(name + ".sts"), stringToSign);
        }
    }

    [Fact]
    public void A_changed_body_a_wrong_secret_a_wrong_service_or_a_late_date_is_refused()
    {
        var request = Signed("post-x-www-form-urlencoded");

        var tampered = SigV4Verifier.Verify(request with { Body = "Param1=value2"u8.ToArray() }, _ => Secret, _ => null, "us-east-1", "service", SignedAt);
        var wrongSecret = SigV4Verifier.Verify(request, _ => Secret + "x", _ => null, "us-east-1", "service", SignedAt);
        var otherService = SigV4Verifier.Verify(request, _ => Secret, _ => null, "us-east-1", "cloudfront", SignedAt);
        var late = SigV4Verifier.Verify(request, _ => Secret, _ => null, "us-east-1", "service", SignedAt.AddMinutes(6));
        var unknown = SigV4Verifier.Verify(request, _ => null, _ => null, "us-east-1", "service", SignedAt);

        Assert.Equal("SignatureDoesNotMatch", tampered.Code);
        Assert.Equal("SignatureDoesNotMatch", wrongSecret.Code);
        Assert.Equal("Credential should be scoped to correct service: 'cloudfront'.", otherService.Message);
        Assert.StartsWith("Signature expired: 20150830T123600Z is now earlier than 20150830T123700Z", late.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, late.Status);
        Assert.Equal("InvalidClientTokenId", unknown.Code);
    }

    private static SigV4Request Signed(string name)
    {
        var request = Read(name);
        return request with { Headers = [.. request.Headers, new("Authorization", Text(name + ".authz"))] };
    }

    /// <summary>A suite's .req: the request line, <c>Name:value</c> headers, an empty line and the body.</summary>
    private static SigV4Request Read(string name)
    {
        var text = Text(name + ".req");
        var (head, body) = text.Contains("\n\n", StringComparison.Ordinal) ? (text[..text.IndexOf("\n\n", StringComparison.Ordinal)], text[(text.IndexOf("\n\n", StringComparison.Ordinal) + 2)..]) : (text, "");
        var lines = head.Split('\n');
        var requestLine = lines[0];
        var method = requestLine[..requestLine.IndexOf(' ', StringComparison.Ordinal)];
        var target = requestLine[(method.Length + 1)..requestLine.LastIndexOf(" HTTP/", StringComparison.Ordinal)];
        var query = target.Contains('?', StringComparison.Ordinal) ? target[target.IndexOf('?', StringComparison.Ordinal)..] : "";
        List<KeyValuePair<string, string>> headers = [.. lines.Skip(1).Select(l => new KeyValuePair<string, string>(l[..l.IndexOf(':', StringComparison.Ordinal)], l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..]))];
        return new SigV4Request(method, target[..(target.Length - query.Length)], query, headers, Encoding.UTF8.GetBytes(body));
    }

    private static string Text(string file) => File.ReadAllText(Path(file));

    private static string Path(string file) => System.IO.Path.Combine(AppContext.BaseDirectory, "Cdn", "SigV4TestSuite", file);
}
