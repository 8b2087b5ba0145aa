using System.Text.Json.Serialization;

namespace CachePurge.Core.Protocols.Fastly;

/// <summary>Source-generated reading of Fastly's error bodies.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(FastlyError))]
internal sealed partial class FastlyJson : JsonSerializerContext;
