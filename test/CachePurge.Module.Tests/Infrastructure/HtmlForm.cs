using System.Net;
using System.Text.RegularExpressions;

namespace CachePurge.Module.Tests.Infrastructure;

/// <summary>What a browser posts for a page's form: its inputs' names and values, checked boxes only.</summary>
public static partial class HtmlForm
{
    public static Dictionary<string, string> Fields(string page)
    {
        var fields = new Dictionary<string, string>();
        foreach (Match input in InputPattern().Matches(page))
        {
            var tag = input.Value;
            var name = Attribute(tag, "name");
            if (name is null)
            {
                continue;
            }

            var type = Attribute(tag, "type") ?? "text";
            if (type is "checkbox" && !tag.Contains("checked", StringComparison.Ordinal))
            {
                continue;
            }

            // A checkbox is followed by a hidden "false" of the same name, which a checked box outranks.
            var value = Attribute(tag, "value") ?? (type is "checkbox" ? "on" : "");
            fields.TryAdd(name, value);
        }

        return fields;
    }

    /// <summary>The one field whose name ends with <paramref name="suffix"/>.</summary>
    public static string Key(Dictionary<string, string> fields, string suffix) =>
        fields.Keys.Single(k => k.EndsWith(suffix, StringComparison.Ordinal));

    private static string Attribute(string tag, string name)
    {
        var match = Regex.Match(tag, $"""\s{name}="([^"]*)" """.TrimEnd());
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    [GeneratedRegex("<input\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputPattern();
}
