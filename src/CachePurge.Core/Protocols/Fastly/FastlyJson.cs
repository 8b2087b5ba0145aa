using System.Text.Json.Serialization;

namespace CachePurge.Core.Protocols.Fastly;

/// <summary>Source-generated reading of Fastly's error bodies and of the token and service the connection check reads.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(FastlyError))]
[JsonSerializable(typeof(FastlyService))]
[JsonSerializable(typeof(FastlyToken))]
internal sealed partial class FastlyJson : JsonSerializerContext;
