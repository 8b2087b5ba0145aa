using System.Diagnostics.CodeAnalysis;

namespace CachePurge.Core;

/// <summary>A public host name of the site, optionally with a port (<c>www.example.com</c>, <c>localhost:5000</c>).</summary>
public readonly record struct SiteHost(string Host, int? Port)
{
    /// <summary>The value of the <c>Host</c> request header for this host.</summary>
    public string HeaderValue => Port is { } port ? $"{Host}:{port}" : Host;

    public static bool TryParse(string? value, [NotNullWhen(true)] out SiteHost? host)
    {
        host = null;
        if (string.IsNullOrWhiteSpace(value) || value.Contains('/') || value.Contains('@') || value.Any(char.IsWhiteSpace))
        {
            return false;
        }

        if (!Uri.TryCreate("http://" + value, UriKind.Absolute, out var uri) || uri.PathAndQuery != "/" || uri.Host.Length == 0)
        {
            return false;
        }

        var hasPort = !uri.IsDefaultPort || value.EndsWith(":80", StringComparison.Ordinal);
        host = new SiteHost(uri.Host.ToLowerInvariant(), hasPort ? uri.Port : null);
        return true;
    }

    /// <summary>Whether <paramref name="uri"/> points at this host; a host configured without a port matches any port.</summary>
    public bool Matches(Uri uri) =>
        string.Equals(uri.Host, Host, StringComparison.OrdinalIgnoreCase) && (Port is null || Port == uri.Port);

    public override string ToString() => HeaderValue;
}
