using Microsoft.Extensions.Options;

namespace CachePurge.Core;

/// <summary>
/// Checks a site's purge settings once, before they are used. Every message starts with the
/// setting it is about (<c>Endpoints[1].BaseUrl</c>) so that a settings page or a recipe can
/// point at the field.
/// </summary>
public sealed class CachePurgeOptionsValidator : IValidateOptions<CachePurgeOptions>
{
    /// <summary>The problems with <paramref name="options"/>; empty when they can be used.</summary>
    public static IReadOnlyList<CachePurgeOptionsError> Validate(CachePurgeOptions options)
    {
        List<CachePurgeOptionsError> errors = [];
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        for (var i = 0; i < options.Endpoints.Count; i++)
        {
            var endpoint = options.Endpoints[i];
            var field = $"{nameof(options.Endpoints)}[{i}]";
            ValidateEndpoint(endpoint, field, errors);
            if (!string.IsNullOrWhiteSpace(endpoint.Name) && !names.Add(endpoint.Name))
            {
                errors.Add(new($"{field}.{nameof(endpoint.Name)}", $"the name '{endpoint.Name}' is used by another cache."));
            }
        }

        for (var i = 0; i < options.SiteHosts.Count; i++)
        {
            var host = options.SiteHosts[i];
            if (!SiteHost.TryParse(host, out _))
            {
                errors.Add(new($"{nameof(options.SiteHosts)}[{i}]", $"'{host}' is not a host name (expected e.g. www.example.com or localhost:5000)."));
            }
        }

        if (options.Endpoints.Count > 0 && options.SiteHosts.Count == 0)
        {
            errors.Add(new(nameof(options.SiteHosts), "at least one public host name of the site is needed; caches key pages by host."));
        }

        if (!string.IsNullOrEmpty(options.PathBase) && (!options.PathBase.StartsWith('/') || options.PathBase.EndsWith('/') || options.PathBase.Any(char.IsWhiteSpace)))
        {
            errors.Add(new(nameof(options.PathBase), $"'{options.PathBase}' must start with '/', not end with '/', and hold no spaces (e.g. /blog)."));
        }

        if (options.EscalationThreshold < 0)
        {
            errors.Add(new(nameof(options.EscalationThreshold), "must be 0 (off) or more."));
        }

        if (options.RetryAttempts is < 0 or > 10)
        {
            errors.Add(new(nameof(options.RetryAttempts), "must be between 0 and 10."));
        }

        if (options.RetryDelay <= TimeSpan.Zero)
        {
            errors.Add(new(nameof(options.RetryDelay), "must be positive."));
        }

        if (options.MaxPendingInMemory < 100)
        {
            errors.Add(new(nameof(options.MaxPendingInMemory), "must be at least 100."));
        }

        if (options.TagHeaderLimit < 256)
        {
            errors.Add(new(nameof(options.TagHeaderLimit), "must be at least 256 bytes."));
        }

        if (options.RedeliveryDelay <= TimeSpan.Zero || options.MaxRedeliveryDelay < options.RedeliveryDelay)
        {
            errors.Add(new(nameof(options.RedeliveryDelay), "must be positive and not above MaxRedeliveryDelay."));
        }

        return errors;
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming every problem.</summary>
    public static void ThrowIfInvalid(CachePurgeOptions options)
    {
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid cache purge settings: " + string.Join(" ", errors), nameof(options));
        }
    }

    ValidateOptionsResult IValidateOptions<CachePurgeOptions>.Validate(string? name, CachePurgeOptions options)
    {
        var errors = Validate(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => e.ToString()));
    }

    private static void ValidateEndpoint(CacheEndpoint endpoint, string field, List<CachePurgeOptionsError> errors)
    {
        if (string.IsNullOrWhiteSpace(endpoint.Name))
        {
            errors.Add(new($"{field}.{nameof(endpoint.Name)}", "a name is required."));
        }

        if (!Uri.TryCreate(endpoint.BaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add(new($"{field}.{nameof(endpoint.BaseUrl)}", $"'{endpoint.BaseUrl}' is not an http:// or https:// URL."));
        }
        else if (!string.IsNullOrEmpty(uri.UserInfo) || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            errors.Add(new($"{field}.{nameof(endpoint.BaseUrl)}", $"'{endpoint.BaseUrl}' must have no user name, query or fragment; put credentials in a header."));
        }

        if (!Enum.IsDefined(endpoint.Kind))
        {
            errors.Add(new($"{field}.{nameof(endpoint.Kind)}", $"'{endpoint.Kind}' is not a known cache kind."));
        }

        if (endpoint.Timeout <= TimeSpan.Zero || endpoint.Timeout > TimeSpan.FromMinutes(5))
        {
            errors.Add(new($"{field}.{nameof(endpoint.Timeout)}", "must be between 0 and 5 minutes."));
        }

        if (endpoint.MaxConcurrency is < 1 or > 256)
        {
            errors.Add(new($"{field}.{nameof(endpoint.MaxConcurrency)}", "must be between 1 and 256."));
        }

        if (endpoint.RequestsPerSecond < 0)
        {
            errors.Add(new($"{field}.{nameof(endpoint.RequestsPerSecond)}", "must be 0 (no limit) or more."));
        }

        foreach (var (header, value) in endpoint.Headers)
        {
            if (string.IsNullOrWhiteSpace(header) || header.Any(c => c <= ' ' || c >= 127 || c == ':'))
            {
                errors.Add(new($"{field}.{nameof(endpoint.Headers)}", $"'{header}' is not a valid header name."));
            }
            else if (value.Any(char.IsControl))
            {
                errors.Add(new($"{field}.{nameof(endpoint.Headers)}[{header}]", "the value must not contain control characters."));
            }
        }

        if (endpoint.Kind == CacheKind.Nginx && !IsPathPrefix(endpoint.PurgePathPrefix))
        {
            errors.Add(new($"{field}.{nameof(endpoint.PurgePathPrefix)}", $"'{endpoint.PurgePathPrefix}' must start with '/' (e.g. /purge)."));
        }

        if (endpoint.Kind == CacheKind.Generic)
        {
            if (string.IsNullOrWhiteSpace(endpoint.Method) || endpoint.Method.Any(c => !char.IsAsciiLetter(c)))
            {
                errors.Add(new($"{field}.{nameof(endpoint.Method)}", $"'{endpoint.Method}' is not an HTTP method."));
            }

            if (!endpoint.PathTemplate.Contains("{path}", StringComparison.Ordinal) || !endpoint.PathTemplate.StartsWith('/') && !endpoint.PathTemplate.StartsWith("{path}", StringComparison.Ordinal))
            {
                errors.Add(new($"{field}.{nameof(endpoint.PathTemplate)}", $"'{endpoint.PathTemplate}' must start with '/' or '{{path}}' and contain '{{path}}'."));
            }
        }

        if (!string.IsNullOrEmpty(endpoint.TagHeader) && endpoint.TagHeader.Any(c => c <= ' ' || c >= 127 || c == ':'))
        {
            errors.Add(new($"{field}.{nameof(endpoint.TagHeader)}", $"'{endpoint.TagHeader}' is not a valid header name."));
        }
    }

    private static bool IsPathPrefix(string value) => value.StartsWith('/') && !value.Any(char.IsWhiteSpace);
}
