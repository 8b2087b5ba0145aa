using System.Text.Json.Serialization;

namespace CachePurge.Core.Protocols.Bunny;

/// <summary>Source-generated serialization of bunny.net's tag purge body, its error bodies and the pull zone the connection check reads (PascalCase, as bunny.net writes them).</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(BunnyPurgeCacheRequest))]
[JsonSerializable(typeof(BunnyError))]
[JsonSerializable(typeof(BunnyPullZone))]
internal sealed partial class BunnyJson : JsonSerializerContext;
