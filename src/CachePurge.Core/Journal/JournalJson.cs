using System.Text;
using System.Text.Json;

namespace CachePurge.Core.Journal;

/// <summary>The JSON arrays the journal's insert reads with <c>json_each</c>, so that one statement writes a whole batch.</summary>
internal static class JournalJson
{
    /// <summary><c>[[kind, value], …]</c>.</summary>
    public static string Targets(IReadOnlyCollection<PurgeTarget> targets) => Write(targets.Count, writer =>
    {
        foreach (var target in targets)
        {
            writer.WriteStartArray();
            writer.WriteNumberValue((int)target.Kind);
            writer.WriteStringValue(target.Value);
            writer.WriteEndArray();
        }
    });

    /// <summary><c>["a", "b", …]</c>.</summary>
    public static string Strings(IReadOnlyList<string> values) => Write(values.Count, writer =>
    {
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }
    });

    private static string Write(int count, Action<Utf8JsonWriter> writeItems)
    {
        using var buffer = new MemoryStream(count * 48);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writeItems(writer);
            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
