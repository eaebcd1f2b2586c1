using System.Text.Json;
using System.Text.Json.Serialization;
using Bria.StatusBridge.Contracts;

namespace Bria.StatusBridge.Tracking;

/// <summary>Reads a <see cref="TrackRequest"/> written by any producer: camelCase, PascalCase or snake_case fields,
/// endpoint kinds such as <c>structured_prompt</c>. Writes MassTransit's usual camelCase.</summary>
internal sealed class TrackRequestJsonConverter : JsonConverter<TrackRequest>
{
    public override TrackRequest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"A TrackRequest must be a JSON object, not {reader.TokenType}.");
        }

        using var document = JsonDocument.ParseValue(ref reader);
        var command = new TrackRequest();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            command = WireNames.Normalize(property.Name) switch
            {
                "requestid" => command with { RequestId = Text(value, "request_id") },
                "statusurl" => command with { StatusUrl = Url(value, "status_url") },
                "correlationid" => command with { CorrelationId = Text(value, "correlation_id") },
                "partnerid" => command with { PartnerId = Text(value, "partner_id") },
                "webhookurl" => command with { WebhookUrl = Url(value, "webhook_url") },
                "endpointkind" => command with { EndpointKind = Kind(value) },
                "deadline" => command with { Deadline = Deadline(value) },
                "metadata" => command with { Metadata = Metadata(value) },
                "briapushes" => command with { BriaPushes = Flag(value, "bria_pushes") },
                _ => command,
            };
        }

        return command;
    }

    public override void Write(Utf8JsonWriter writer, TrackRequest value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(Name(options, nameof(TrackRequest.RequestId)), value.RequestId);
        WriteIfSet(writer, options, nameof(TrackRequest.StatusUrl), value.StatusUrl?.ToString());
        WriteIfSet(writer, options, nameof(TrackRequest.CorrelationId), value.CorrelationId);
        WriteIfSet(writer, options, nameof(TrackRequest.PartnerId), value.PartnerId);
        WriteIfSet(writer, options, nameof(TrackRequest.WebhookUrl), value.WebhookUrl?.ToString());
        writer.WriteString(Name(options, nameof(TrackRequest.EndpointKind)), value.EndpointKind.ToString());
        if (value.Deadline is { } deadline)
        {
            writer.WriteString(Name(options, nameof(TrackRequest.Deadline)), deadline);
        }

        if (value.Metadata is { } metadata)
        {
            writer.WriteStartObject(Name(options, nameof(TrackRequest.Metadata)));
            foreach (var (key, text) in metadata)
            {
                writer.WriteString(key, text);
            }

            writer.WriteEndObject();
        }

        if (value.BriaPushes)
        {
            writer.WriteBoolean(Name(options, nameof(TrackRequest.BriaPushes)), true);
        }

        writer.WriteEndObject();
    }

    private static string Name(JsonSerializerOptions options, string name) => options.PropertyNamingPolicy?.ConvertName(name) ?? name;

    private static void WriteIfSet(Utf8JsonWriter writer, JsonSerializerOptions options, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(Name(options, name), value);
        }
    }

    private static string Text(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        _ => throw new JsonException($"TrackRequest.{field} must be a string, not {value.ValueKind}."),
    };

    private static bool Flag(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new JsonException($"TrackRequest.{field} must be true or false, not {value.ValueKind}."),
    };

    private static Uri Url(JsonElement value, string field)
    {
        var text = Text(value, field);
        return Uri.TryCreate(text, UriKind.Absolute, out var url)
            ? url
            : throw new JsonException($"TrackRequest.{field} '{text}' is not an absolute URL.");
    }

    private static EndpointKind Kind(JsonElement value)
    {
        var text = Text(value, "endpoint_kind");
        return WireNames.TryRead<EndpointKind>(text, out var kind)
            ? kind
            : throw new JsonException($"TrackRequest.endpoint_kind '{text}' is unknown: use {WireNames.Choices<EndpointKind>()}.");
    }

    private static DateTimeOffset Deadline(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var deadline)
            ? deadline
            : throw new JsonException($"TrackRequest.deadline '{value.GetRawText()}' is not an ISO 8601 time with an offset, such as 2026-12-01T10:00:00Z.");

    private static Dictionary<string, string> Metadata(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException($"TrackRequest.metadata must be an object of string values, not {value.ValueKind}.");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            metadata[entry.Name] = entry.Value.ValueKind switch
            {
                JsonValueKind.String => entry.Value.GetString()!,
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => entry.Value.GetRawText(),
                _ => throw new JsonException($"TrackRequest.metadata['{entry.Name}'] must be a string, not {entry.Value.ValueKind}."),
            };
        }

        return metadata;
    }
}
