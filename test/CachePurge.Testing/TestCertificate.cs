using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace CachePurge.Testing;

/// <summary>
/// A self-signed certificate for 127.0.0.1 and localhost, made once per test run, for contract servers that must speak
/// https (Entra ID's token endpoint: Azure.Identity refuses an http authority). Only clients given
/// <see cref="Validate"/> trust it; nothing is added to the machine's trust store.
/// </summary>
public static class TestCertificate
{
    private static readonly Lazy<X509Certificate2> Created = new(Create);

    public static X509Certificate2 Certificate => Created.Value;

    /// <summary>Accepts what the machine trusts, and this certificate.</summary>
    public static bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors) =>
        errors == SslPolicyErrors.None || (certificate is not null && certificate.GetCertHashString() == Certificate.GetCertHashString());

    /// <summary>Makes the engine's purge client (<c>CachePurge</c>, where Azure.Identity's token requests go too) trust this certificate.</summary>
    public static IServiceCollection TrustTestCertificateForPurges(this IServiceCollection services) =>
        services.AddSingleton<IHttpMessageHandlerBuilderFilter, TrustingFilter>();

    private static X509Certificate2 Create()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=CachePurge contract servers", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        // Loaded again from PKCS #12 so that Kestrel's TLS can use its private key on every platform.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }

    /// <summary>Runs after the client's own configuration and adds the trust to its SocketsHttpHandler.</summary>
    private sealed class TrustingFilter : IHttpMessageHandlerBuilderFilter
    {
        public Action<HttpMessageHandlerBuilder> Configure(Action<HttpMessageHandlerBuilder> next) => builder =>
        {
            next(builder);
            if (builder.PrimaryHandler is SocketsHttpHandler sockets)
            {
                sockets.SslOptions.RemoteCertificateValidationCallback = Validate;
            }
        };
    }
}
