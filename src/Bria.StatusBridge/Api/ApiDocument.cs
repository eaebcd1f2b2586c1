using System.Text.Json.Nodes;
using Bria.StatusBridge.Partners;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Bria.StatusBridge.Api;

/// <summary>Makes the OpenAPI document read as a manual: the introduction, the key scheme, every error an operation
/// can answer (each a ProblemDetails with an example), and example bodies.</summary>
internal static class ApiDocument
{
    private const string ProblemJson = "application/problem+json";

    private const string DisabledTitle = "Webhook endpoint disabled";
    private const string DisabledDetail = "Endpoint 'ep_6f1d2c3b4a5948e7a6b5c4d3e2f1a0b9' is disabled (410 Gone from the endpoint): enable it with POST /v1/webhook-endpoints/ep_6f1d2c3b4a5948e7a6b5c4d3e2f1a0b9/enable first.";

    // Operations that answer 409: when, and an example.
    private static readonly Dictionary<string, (string When, string Title, string Detail)> Conflicts = new(StringComparer.Ordinal)
    {
        ["TrackRequest"] = ("You cancelled this tracking (same correlation_id and webhook_url): track it with a new correlation_id.",
            "Tracking was cancelled", "You cancelled this tracking of '7f3c0a9e' (the same correlation_id and webhook_url), and a cancellation is final. To track the request again, send a new correlation_id."),
        ["CancelTrackedRequest"] = ("The request already ended, or your tracking was already cancelled.",
            "Request already ended", "Request '7f3c0a9e' has already ended and its outcome was sent: there is nothing to cancel. GET /v1/tracked-requests/{request_id} shows it."),
        ["SendWebhookTestEvent"] = ("The endpoint is disabled: enable it first.", DisabledTitle, DisabledDetail),
        ["RecoverWebhookDeliveries"] = ("The endpoint is disabled: enable it first.", DisabledTitle, DisabledDetail),
        ["RetryDelivery"] = ("The delivery's endpoint is disabled: enable it first.", DisabledTitle, DisabledDetail),
    };

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Bria.StatusBridge API",
                Version = "v1",
                Description = "Track Bria's asynchronous requests and receive their outcomes as signed webhooks (Standard Webhooks). " +
                    "Authenticate every call with `Authorization: Bearer <key>` (or `X-Api-Key: <key>`): partner routes take a partner's API key (sbk_...), /v1/admin the operator key. " +
                    "Send bodies as JSON with `Content-Type: application/json`; fields and values are snake_case, times are ISO 8601 (written as UTC with milliseconds). " +
                    "Every error is a ProblemDetails (RFC 9457) whose `detail` says what to fix; field errors are under `errors`, keyed by the field's name.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[PartnerAuthentication.Scheme] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A partner API key (sbk_...) or, for /v1/admin, the operator key. `X-Api-Key: <key>` is accepted too.",
            };
            document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(PartnerAuthentication.Scheme, document)] = [] }];
            return Task.CompletedTask;
        });

        options.AddSchemaTransformer((schema, context, _) =>
        {
            // Times are written by WireTimeJsonConverter, which the schema exporter cannot see through.
            var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
            if (type == typeof(DateTimeOffset))
            {
                schema.Type = context.JsonTypeInfo.Type == type ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
                schema.Format = "date-time";
                schema.Examples = [JsonValue.Create("2026-11-29T10:00:03.100Z")];
            }

            return Task.CompletedTask;
        });

        options.AddOperationTransformer((operation, context, _) =>
        {
            var name = context.Description.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName;
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAllowAnonymous>().Any())
            {
                DescribeBriaWebhook(operation, name);
                return Task.CompletedTask;
            }

            var path = context.Description.RelativePath ?? "";
            var admin = path.StartsWith("v1/admin", StringComparison.Ordinal);
            operation.Responses ??= [];
            AddExamples(operation, name);

            var hasBody = operation.RequestBody is not null;
            if (hasBody || context.Description.ParameterDescriptions.Any(p => p.Source.Id == "Query"))
            {
                Problem(operation, StatusCodes.Status400BadRequest, hasBody
                    ? "The body is not valid JSON, has a field this call does not take, or a field is missing or wrong: `detail` says what to fix, `errors` lists each field."
                    : "A query parameter is wrong: `detail` says what to fix, `errors` lists each parameter.");
            }

            Problem(operation, StatusCodes.Status401Unauthorized, "No API key, or a key that is not valid or was revoked.");
            Problem(operation, StatusCodes.Status403Forbidden, admin
                ? "A partner API key: /v1/admin needs the operator key (Admin__ApiKey)."
                : "The operator key: partner routes need one of the partner's API keys.");
            if (path.Contains('{', StringComparison.Ordinal) || name is "GetSigningSecret" or "RotateSigningSecret")
            {
                Problem(operation, StatusCodes.Status404NotFound, "No such id for your account (another partner's ids answer 404 too).");
            }

            if (name is not null && Conflicts.TryGetValue(name, out var conflict))
            {
                Problem(operation, StatusCodes.Status409Conflict, conflict.When, ApiExamples.Conflict(conflict.Title, conflict.Detail));
            }

            if (hasBody)
            {
                Problem(operation, StatusCodes.Status413PayloadTooLarge, $"The body is larger than {ApiLimits.MaxBodyBytes / 1024} KB.");
                Problem(operation, StatusCodes.Status415UnsupportedMediaType, "The body was not sent as JSON: add 'Content-Type: application/json'.");
            }

            if (name is "StreamTrackedRequestEvents")
            {
                Problem(operation, StatusCodes.Status401Unauthorized, "No API key and no valid access_token (a stream token is for one request and expires).");
                Problem(operation, StatusCodes.Status429TooManyRequests, "Your account holds as many open status streams on this replica as it may (StatusStreams__MaxStreamsPerPartner): close one.");
                Problem(operation, StatusCodes.Status503ServiceUnavailable, "This replica is stopping: reconnect, and another replica answers.");
            }

            Problem(operation, StatusCodes.Status500InternalServerError, "The bridge failed; retry, and give the trace_id to the operator if it persists.");
            return Task.CompletedTask;
        });
    }

    /// <summary>Bria's webhooks come signed by Bria, not with an API key: no security scheme, Bria's raw status body,
    /// and the refusals of its signature rules (each names the rule in <c>rule</c>).</summary>
    private static void DescribeBriaWebhook(OpenApiOperation operation, string? name)
    {
        operation.Security = [];
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = "Bria's status body, byte for byte as Bria signed it (at most 1 MB), with the headers Bria-Webhook-Id, Bria-Webhook-Timestamp and Bria-Webhook-Signature.",
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() },
        };
        operation.Responses ??= [];
        operation.Responses["200"] = new OpenApiResponse
        {
            Description = "Stored: `result` says what the webhook did (ended, already_ended, poll_now, unchanged, kept_early).",
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() },
        };
        AddExamples(operation, name);
        Problem(operation, StatusCodes.Status400BadRequest,
            "A Bria-Webhook-* header is missing or unreadable, the body is not Bria's status JSON, or its request_id differs from Bria-Webhook-Id: `rule` names which.",
            BriaWebhookProblem(StatusCodes.Status400BadRequest, "Bria webhook id does not match the body", "The body's request_id must equal the Bria-Webhook-Id header.", "id_mismatch"));
        Problem(operation, StatusCodes.Status401Unauthorized,
            "The signature matches no key derived from Bria:ApiToken or Bria:PreviousApiTokens, or the timestamp lies outside Bria:WebhookTolerance: `rule` names which.",
            BriaWebhookProblem(StatusCodes.Status401Unauthorized, "Bria webhook timestamp outside the tolerance",
                "Bria-Webhook-Timestamp is more than 00:05:00 away from this server's clock (Bria:WebhookTolerance): sign each attempt with the current time, and check both clocks.", "stale_timestamp"));
        Problem(operation, StatusCodes.Status413PayloadTooLarge, "The body is over 1 MB.",
            BriaWebhookProblem(StatusCodes.Status413PayloadTooLarge, "Bria webhook body too large", "The body is over 1 MB; a Bria status body is a few KB.", "body_too_large"));
        Problem(operation, StatusCodes.Status500InternalServerError, "The bridge could not store the webhook; Bria retries it.");
    }

    private static JsonObject BriaWebhookProblem(int status, string title, string detail, string rule) => new JsonObject
    {
        ["type"] = status == StatusCodes.Status401Unauthorized ? "https://tools.ietf.org/html/rfc9110#section-15.5.2" : "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        ["title"] = title,
        ["status"] = status,
        ["detail"] = detail,
        ["rule"] = rule,
    };

    private static void AddExamples(OpenApiOperation operation, string? name)
    {
        if (ApiExamples.RequestBody(name) is { } request && operation.RequestBody?.Content is { } content)
        {
            foreach (var media in content.Values)
            {
                media.Example = JsonNode.Parse(request);
            }
        }

        if (ApiExamples.ResponseBody(name) is { } response)
        {
            var success = operation.Responses!.FirstOrDefault(r => r.Key.StartsWith('2'));
            if (success.Value?.Content is { } answers)
            {
                foreach (var media in answers.Values)
                {
                    media.Example = response.DeepClone();
                }
            }
        }
    }

    private static void Problem(OpenApiOperation operation, int status, string description, JsonNode? example = null)
    {
        example ??= ApiExamples.Problem(status);
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var existing) && existing is OpenApiResponse declared)
        {
            // The 400 that minimal APIs declare for ValidationProblem: keep its schema, say what it means.
            declared.Description = description;
            if (declared.Content is { } content)
            {
                foreach (var media in content.Values)
                {
                    media.Example = example.DeepClone();
                }
            }

            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemJson] = new() { Example = example },
            },
        };
    }
}
