using System.Text.Json.Serialization;

namespace CachePurge.Core.Protocols.Fastly;

/// <summary>Source-generated reading of Fastly's error bodies and of the service the connection check reads.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(FastlyError))]
[JsonSerializable(typeof(FastlyService))]
internal sealed partial class FastlyJson : JsonSerializerContext;
