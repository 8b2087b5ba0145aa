using System.Text.Json.Serialization;

namespace CachePurge.Core.Protocols.Cloudflare;

/// <summary>Source-generated serialization of Cloudflare's purge bodies and answers, and of the reads that check a token (snake_case, nulls left out).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CloudflarePurgeRequest))]
[JsonSerializable(typeof(CloudflareAnswer))]
[JsonSerializable(typeof(CloudflareCheckAnswer))]
internal sealed partial class CloudflareJson : JsonSerializerContext;
