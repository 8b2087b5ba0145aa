using CachePurge.Core;
using CachePurge.Module.Models;
using Microsoft.Extensions.Localization;

namespace CachePurge.Module.Services;

/// <summary>
/// Checks the cache policy. The settings page and the recipe step both go through here, so that they accept and
/// refuse the same input; each problem names the field of <see cref="CachePolicySettings"/> it is about, e.g.
/// <c>Paths[1].Match</c>.
/// </summary>
public sealed class CachePolicySettingsValidator
{
    /// <summary>One year: RFC 9111 advises no longer lifetime, and caches cap theirs near it.</summary>
    public const int MaxSeconds = 31_536_000;

    internal readonly IStringLocalizer S;

    public CachePolicySettingsValidator(IStringLocalizer<CachePolicySettingsValidator> stringLocalizer)
    {
        S = stringLocalizer;
    }

    public IReadOnlyList<CachePurgeOptionsError> Validate(CachePolicySettings settings)
    {
        List<CachePurgeOptionsError> errors = [];
        CheckSeconds(errors, nameof(CachePolicySettings.DefaultSeconds), settings.DefaultSeconds);
        if (settings.HomePageSeconds is { } homePageSeconds)
        {
            CheckSeconds(errors, nameof(CachePolicySettings.HomePageSeconds), homePageSeconds);
        }

        CheckSeconds(errors, nameof(CachePolicySettings.NotFoundSeconds), settings.NotFoundSeconds);
        CheckSeconds(errors, nameof(CachePolicySettings.RedirectSeconds), settings.RedirectSeconds);
        CheckSeconds(errors, nameof(CachePolicySettings.BrowserSeconds), settings.BrowserSeconds);
        CheckSeconds(errors, nameof(CachePolicySettings.StaleWhileRevalidateSeconds), settings.StaleWhileRevalidateSeconds);
        CheckSeconds(errors, nameof(CachePolicySettings.StaleIfErrorSeconds), settings.StaleIfErrorSeconds);

        var types = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < settings.ContentTypes.Count; i++)
        {
            var field = $"{nameof(CachePolicySettings.ContentTypes)}[{i}]";
            var contentType = settings.ContentTypes[i].ContentType?.Trim() ?? "";
            if (contentType.Length == 0)
            {
                errors.Add(new($"{field}.{nameof(CachePolicyContentTypeRule.ContentType)}", S["enter the technical name of a content type, e.g. Article."]));
            }
            else if (!contentType.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || !char.IsAsciiLetter(contentType[0]))
            {
                errors.Add(new($"{field}.{nameof(CachePolicyContentTypeRule.ContentType)}", S["'{0}' is not a content type's technical name (letters, digits and _).", contentType]));
            }
            else if (!types.Add(contentType))
            {
                errors.Add(new($"{field}.{nameof(CachePolicyContentTypeRule.ContentType)}", S["'{0}' has a rule already.", contentType]));
            }

            CheckSeconds(errors, $"{field}.{nameof(CachePolicyContentTypeRule.Seconds)}", settings.ContentTypes[i].Seconds);
        }

        var matches = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < settings.Paths.Count; i++)
        {
            var field = $"{nameof(CachePolicySettings.Paths)}[{i}]";
            var match = settings.Paths[i].Match?.Trim() ?? "";
            if (match.Length == 0)
            {
                errors.Add(new($"{field}.{nameof(CachePolicyPathRule.Match)}", S["enter a path prefix such as /feeds, or a pattern such as ^/tags/[^/]+$."]));
            }
            else if (!match.StartsWith('/') && !match.StartsWith('^'))
            {
                errors.Add(new($"{field}.{nameof(CachePolicyPathRule.Match)}", S["'{0}' is neither a path prefix (it starts with /) nor a pattern (it starts with ^).", match]));
            }
            else if (match.StartsWith('^') && !CachePolicy.TryCreatePattern(match, out _, out var error))
            {
                errors.Add(new($"{field}.{nameof(CachePolicyPathRule.Match)}", S["'{0}' is not a valid regular expression: {1}", match, error]));
            }
            else if (!matches.Add(match))
            {
                errors.Add(new($"{field}.{nameof(CachePolicyPathRule.Match)}", S["'{0}' has a rule already.", match]));
            }

            CheckSeconds(errors, $"{field}.{nameof(CachePolicyPathRule.Seconds)}", settings.Paths[i].Seconds);
        }

        return errors;
    }

    private void CheckSeconds(List<CachePurgeOptionsError> errors, string field, int seconds)
    {
        if (seconds is < 0 or > MaxSeconds)
        {
            errors.Add(new(field, S["{0} is not a lifetime: use 0 to 31,536,000 seconds (one year).", seconds]));
        }
    }
}
