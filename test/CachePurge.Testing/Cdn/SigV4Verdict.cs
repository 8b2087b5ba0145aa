using System.Net;

namespace CachePurge.Testing.Cdn;

/// <summary>What a SigV4 verifier found: valid, or the status, AWS error code and message to refuse with.</summary>
public sealed record SigV4Verdict(bool Valid, HttpStatusCode Status = HttpStatusCode.OK, string Code = "", string Message = "")
{
    public static SigV4Verdict Accepted { get; } = new(true);

    public static SigV4Verdict Refused(HttpStatusCode status, string code, string message) => new(false, status, code, message);
}
