using System.Text.Json.Serialization;

namespace CachePurge.Core.Protocols.CloudFront;

/// <summary>Source-generated serialization of the saved monthly path count.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SavedCount))]
internal sealed partial class CloudFrontJson : JsonSerializerContext;
