using System.Text.Json.Nodes;

namespace Bria.StatusBridge.Api;

/// <summary>Example bodies per operation (by endpoint name), shown in the OpenAPI document and in the answer to a call
/// that forgot its body.</summary>
internal static class ApiExamples
{
    private static readonly Dictionary<string, string> Requests = new(StringComparer.Ordinal)
    {
        ["CreatePartner"] = """{"name":"Acme"}""",
        ["IssueApiKey"] = """{"name":"prod"}""",
        ["CreateWebhookEndpoint"] = """{"url":"https://acme.example/bria","event_types":["request.completed","request.failed"],"description":"production"}""",
        ["UpdateWebhookEndpoint"] = """{"event_types":["request.failed"]}""",
        ["RecoverWebhookDeliveries"] = """{"since":"2026-11-29T00:00:00Z"}""",
        ["TrackRequest"] = """{"request_id":"7f3c0a9e","correlation_id":"order-17","endpoint_kind":"image","metadata":{"order":"17"},"bria_pushes":true}""",
        ["ReceiveBriaWebhook"] = """{"request_id":"7f3c0a9e","status":"COMPLETED","result":{"image_url":"https://temp.example/7f3c.png","seed":"90210"}}""",
    };

    private static readonly Dictionary<string, string> Responses = new(StringComparer.Ordinal)
    {
        ["CreatePartner"] = """{"partner_id":"prt_01a22c3c17727e00989d088663c4c69b","name":"Acme","created_at":"2026-11-29T10:00:00.000Z","disabled_at":null}""",
        ["IssueApiKey"] = """{"key_id":"key_5b0c9f1e2d3a4b5c6d7e8f9a0b1c2d3e","partner_id":"prt_01a22c3c17727e00989d088663c4c69b","key":"sbk_9x2bsb63c_2gu8HNJ8dKu5HzsGWrkoFB4gTG8mk5Qp0","prefix":"sbk_9x2bsb63","name":"prod","created_at":"2026-11-29T10:00:00.000Z"}""",
        ["CreateWebhookEndpoint"] = """{"endpoint_id":"ep_6f1d2c3b4a5948e7a6b5c4d3e2f1a0b9","url":"https://acme.example/bria","description":"production","event_types":["request.completed","request.failed"],"enabled":true,"created_at":"2026-11-29T10:00:00.000Z","secret":"whsec_Bu7iDMS5Q+umTGVwBLrvwHUIilTEMnFjCHKH7jTSHbQ="}""",
        ["GetSigningSecret"] = """{"key":"whsec_Bu7iDMS5Q+umTGVwBLrvwHUIilTEMnFjCHKH7jTSHbQ=","previous_key_expires_at":null}""",
        ["TrackRequest"] = """{"request_id":"7f3c0a9e","state":"tracking","subscriber_id":"4030bfed-4f72-82ac-954d-cfbefff67b57","new_request":true,"new_subscriber":true}""",
        ["GetTrackedRequest"] = """
            {"request_id":"7f3c0a9e","endpoint_kind":"image","state":"completed","created_at":"2026-11-29T10:00:00.000Z","deadline":"2026-11-29T10:30:00.000Z",
             "next_poll_at":null,"polls":3,"last_polled_at":"2026-11-29T10:00:03.100Z","last_observation":"completed","last_http_status":200,
             "result":{"image_url":"https://temp.example/7f3c.png","seed":90210,"prompt":"red bicycle"},"failure_reason":null,"error":null,
             "finished_at":"2026-11-29T10:00:03.100Z","noticed_at":"2026-11-29T10:00:03.100Z",
             "subscribers":[{"subscriber_id":"4030bfed-4f72-82ac-954d-cfbefff67b57","correlation_id":"order-17","webhook_url":null,"metadata":{"order":"17"},"created_at":"2026-11-29T10:00:00.000Z","cancelled_at":null}],
             "deliveries":[]}
            """,
        ["CreateStreamToken"] = """{"request_id":"7f3c0a9e","token":"CfDJ8N3kq2x0a1b2c3d4e5f6g7h8i9j0","expires_at":"2026-11-29T10:10:00.000Z","events_url":"/v1/tracked-requests/7f3c0a9e/events?access_token=CfDJ8N3kq2x0a1b2c3d4e5f6g7h8i9j0"}""",
        ["CancelTrackedRequest"] = """{"request_id":"7f3c0a9e","outcome":"request_cancelled","notified":true}""",
        ["ReceiveBriaWebhook"] = """{"request_id":"7f3c0a9e","result":"ended"}""",
    };

    /// <summary>An example request body for the operation, or null when it takes none.</summary>
    public static string? RequestBody(string? operation) => operation is not null && Requests.TryGetValue(operation, out var json) ? json : null;

    /// <summary>An example success body for the operation, or null when there is none.</summary>
    public static JsonNode? ResponseBody(string? operation) => operation is not null && Responses.TryGetValue(operation, out var json) ? JsonNode.Parse(json) : null;

    /// <summary>An example 409 ProblemDetails.</summary>
    public static JsonNode Conflict(string title, string detail) => new JsonObject
    {
        ["type"] = "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        ["title"] = title,
        ["status"] = StatusCodes.Status409Conflict,
        ["detail"] = detail,
    };

    /// <summary>An example ProblemDetails for a status, as the API writes it.</summary>
    public static JsonNode Problem(int status) => JsonNode.Parse(status switch
    {
        StatusCodes.Status400BadRequest => """
            {"type":"https://tools.ietf.org/html/rfc9110#section-15.5.1","title":"The request has invalid fields","status":400,
             "detail":"request_id is required: pass the request_id from Bria's 202 answer. deadline 2000-01-01T00:00:00.000Z is in the past: give a time after 2026-11-29T10:00:00.000Z, or none for the default.",
             "errors":{"request_id":["request_id is required: pass the request_id from Bria's 202 answer."],"deadline":["deadline 2000-01-01T00:00:00.000Z is in the past: give a time after 2026-11-29T10:00:00.000Z, or none for the default."]},
             "trace_id":"00-7aed486ff87ac57e11ff083490742e15-0ae136196facd486-01"}
            """,
        StatusCodes.Status401Unauthorized => """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.2","title":"Authentication required","status":401,"detail":"This call needs an API key: send 'Authorization: Bearer <key>' (or 'X-Api-Key: <key>')."}""",
        StatusCodes.Status403Forbidden => """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.4","title":"Not allowed with this key","status":403,"detail":"A partner API key cannot call /v1/admin: use the operator key (Admin__ApiKey)."}""",
        StatusCodes.Status404NotFound => """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.5","title":"Tracked request not found","status":404,"detail":"No tracked request '7f3c0a9e' exists for your account: check the id. Track it first with POST /v1/tracked-requests. Finished requests are kept for 30 days after they ended; an older one has been purged."}""",
        StatusCodes.Status409Conflict => """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.10","title":"Request already ended","status":409,"detail":"Request '7f3c0a9e' has already ended and its outcome was sent: there is nothing to cancel. GET /v1/tracked-requests/{request_id} shows it."}""",
        StatusCodes.Status413PayloadTooLarge => """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.14","title":"Content Too Large","status":413,"detail":"The body is larger than the 1,048,576 bytes this API accepts: send the small JSON object the call documents (metadata is at most 8 KB)."}""",
        StatusCodes.Status429TooManyRequests => """{"type":"https://tools.ietf.org/html/rfc6585#section-4","title":"Too many open streams","status":429,"detail":"Your account already holds 100 open status streams on this replica: close one you no longer read, or use webhooks for many requests at once."}""",
        StatusCodes.Status503ServiceUnavailable => """{"type":"https://tools.ietf.org/html/rfc9110#section-15.6.4","title":"Replica shutting down","status":503,"detail":"This replica is stopping: reconnect, and another replica answers."}""",
        StatusCodes.Status415UnsupportedMediaType => """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.16","title":"Unsupported Media Type","status":415,"detail":"Send the body as JSON with the header 'Content-Type: application/json' (curl: -H 'Content-Type: application/json')."}""",
        _ => """{"type":"https://tools.ietf.org/html/rfc9110#section-15.6.1","title":"An error occurred while processing your request.","status":500,"detail":"The bridge failed to answer this request and logged the failure with this trace_id: retry, and if it keeps failing give the trace_id to the operator.","trace_id":"00-7aed486ff87ac57e11ff083490742e15-0ae136196facd486-01"}""",
    })!;
}
