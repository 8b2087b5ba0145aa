using System.Text;
using System.Text.Json;

namespace CachePurge.Core.Journal;

/// <summary>A batch as the JSON array <c>[[endpoint, kind, value], …]</c> that the journal's insert reads with <c>json_each</c>, so that one statement writes it whole.</summary>
internal static class JournalJson
{
    public static string Entries(IReadOnlyList<(string Endpoint, PurgeTarget Target)> entries)
    {
        using var buffer = new MemoryStream(entries.Count * 64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var (endpoint, target) in entries)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(endpoint);
                writer.WriteNumberValue((int)target.Kind);
                writer.WriteStringValue(target.Value);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
