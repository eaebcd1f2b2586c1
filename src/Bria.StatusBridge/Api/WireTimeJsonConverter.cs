using System.Text.Json;
using System.Text.Json.Serialization;
using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Api;

/// <summary>Writes every time of the API as webhooks do (UTC, milliseconds, <c>Z</c>); reads any ISO 8601 time with
/// an offset, and says so when a value is not one.</summary>
internal sealed class WireTimeJsonConverter : JsonConverter<DateTimeOffset>
{
    public const string Expected = "an ISO 8601 time with an offset, such as 2026-12-01T10:00:00Z";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var time)
            ? time
            : throw new JsonException($"must be {Expected}.");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(WireNames.Time(value));
    }
}
