using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CachePurge.Core;
using CachePurge.Module.Models;
using Microsoft.Extensions.Localization;

namespace CachePurge.Module.Recipes;

/// <summary>
/// Says which setting of a <see cref="CachePurgeSettingsStep"/> has a value of the wrong type, and what it should be,
/// in the recipe's own words: <c>Caches[0].TimeoutSeconds</c> "must be a whole number of seconds", rather than the
/// serializer's "could not be converted to System.Int32".
/// </summary>
internal static partial class CachePurgeSettingsJsonError
{
    // The value is quoted back as the recipe wrote it: "bé", not "b\u00E9".
    private static readonly JsonSerializerOptions Echo = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static (string Field, string Message) Describe(JsonException exception, JsonNode step, IStringLocalizer S)
    {
        List<string> field = [];
        var type = typeof(CachePurgeSettings);
        PropertyInfo property = null;

        // The value found at the path, as written; "null" is a value too.
        var node = step;
        var found = true;
        foreach (Match segment in PathSegment().Matches(exception.Path ?? ""))
        {
            if (segment.Groups["index"].Success)
            {
                var index = int.Parse(segment.Groups["index"].ValueSpan, CultureInfo.InvariantCulture);
                if (field.Count == 0)
                {
                    field.Add("");
                }

                field[^1] += $"[{index}]";
                type = ElementType(type);
                found = found && node is JsonArray array && index < array.Count;
                node = found ? node[index] : null;
            }
            else
            {
                var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value.Replace("''", "'", StringComparison.Ordinal);
                property = type?.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
                field.Add(property?.Name ?? name);
                type = property?.PropertyType;
                var match = node is JsonObject json ? json.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)) : default;
                found = found && match.Key is not null;
                node = match.Value;
            }
        }

        var setting = field.Count == 0 ? S["the step"].Value : string.Join(".", field);
        if (type is null || Expected(type, property, S) is not { } expected)
        {
            return (setting, S["has a value of the wrong type."]);
        }

        // A header's value and an API token may be secrets, so they are not quoted back.
        var secret = (property?.DeclaringType == typeof(CachePurgeHeaderSettings) && property.Name == nameof(CachePurgeHeaderSettings.Value))
            || (property?.DeclaringType == typeof(CachePurgeCacheSettings) && CacheSecret.All.Any(s => s.Name == property.Name));
        return found && !secret
            ? (setting, S["must be {0}, not {1}.", expected, Shorten(node?.ToJsonString(Echo) ?? "null")])
            : (setting, S["must be {0}.", expected]);
    }

    private static string Shorten(string json) => json.Length <= 60 ? json : json[..57] + "…";

    private static Type ElementType(Type type) =>
        type is not null && type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType ? type.GetGenericArguments()[0] : null;

    private static string Expected(Type type, PropertyInfo property, IStringLocalizer S) => type switch
    {
        _ when type == typeof(int) && property?.Name.EndsWith("Seconds", StringComparison.Ordinal) == true => S["a whole number of seconds"],
        _ when type == typeof(int) => S["a whole number"],
        _ when type == typeof(bool) => S["true or false"],
        _ when type == typeof(string) => S["text in quotes"],
        _ when type == typeof(CloudflarePlan) => S["one of {0}", string.Join(", ", Enum.GetNames<CloudflarePlan>().Select(n => $"\"{n}\""))],
        _ when type == typeof(AkamaiNetwork) => S["one of {0}", string.Join(", ", Enum.GetNames<AkamaiNetwork>().Select(n => $"\"{n}\""))],
        _ when type == typeof(AkamaiPurgeAction) => S["one of {0}", string.Join(", ", Enum.GetNames<AkamaiPurgeAction>().Select(n => $"\"{n}\""))],
        _ when type == typeof(List<int>) => S["a list of whole numbers, such as [ 12345 ]"],
        _ when type == typeof(AzureCredentialKind) => S["one of {0}", string.Join(", ", Enum.GetNames<AzureCredentialKind>().Select(n => $"\"{n}\""))],
        _ when type == typeof(CacheKind) => S["one of {0}", string.Join(", ", Enum.GetNames<CacheKind>().Select(n => $"\"{n}\""))],
        _ when type == typeof(CachePurgeCacheSettings) => S["a cache: an object such as { \"Name\": \"varnish\", \"BaseUrl\": \"http://127.0.0.1:6081\" }"],
        _ when type == typeof(CachePurgeHeaderSettings) => S["a header: an object such as { \"Name\": \"X-Purge-Token\", \"Value\": \"…\" }"],
        _ when type == typeof(List<string>) => S["a list of texts, such as [ \"www.example.com\" ]"],
        _ when type == typeof(List<CachePurgeCacheSettings>) => S["a list of caches, such as [ { \"Name\": \"varnish\", \"BaseUrl\": \"http://127.0.0.1:6081\" } ]"],
        _ when type == typeof(List<CachePurgeHeaderSettings>) => S["a list of headers, such as [ { \"Name\": \"X-Purge-Token\", \"Value\": \"…\" } ]"],
        _ when type == typeof(CachePurgeSettings) => S["an object of cache purge settings"],
        _ => null,
    };

    // $.Caches[0].TimeoutSeconds, or $['Caches'][0]['Timeout Seconds'] for names that need quoting.
    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();
}
