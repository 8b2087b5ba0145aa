using System.Text.Json.Serialization;

namespace CachePurge.Core.Protocols.Akamai;

/// <summary>Source-generated reading of Fast Purge's answers (camelCase).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(AkamaiAnswer))]
internal sealed partial class AkamaiJson : JsonSerializerContext;
