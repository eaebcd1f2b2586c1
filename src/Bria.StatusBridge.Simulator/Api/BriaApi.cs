using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bria.StatusBridge.Simulator.Jobs;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Simulator.Api;

/// <summary>The Bria endpoints: V2 submits and <c>GET /v2/status/{id}</c>, behind the <c>api_token</c> header.</summary>
internal static class BriaApi
{
    public const string TokenHeader = "api_token";

    public static IEndpointRouteBuilder MapBriaApi(this IEndpointRouteBuilder app)
    {
        var v2 = app.MapGroup("/v2").AddEndpointFilter(RequireTokenAsync);

        // Catch-all operations: generate, edit, edit/{op} and whatever Bria adds share one behaviour per family.
        v2.MapPost("/image/{**operation}", (HttpContext context, SimulatorState state) => SubmitAsync(JobKind.Image, context, state));
        v2.MapPost("/video/{**operation}", (HttpContext context, SimulatorState state) => SubmitAsync(JobKind.Video, context, state));
        v2.MapPost("/structured_prompt/{**operation}", (HttpContext context, SimulatorState state) => SubmitAsync(JobKind.StructuredPrompt, context, state));
        v2.MapPost("/structured_instruction/{**operation}", (HttpContext context, SimulatorState state) => SubmitAsync(JobKind.StructuredPrompt, context, state));
        v2.MapGet("/status/{requestId}", StatusAsync);
        return app;
    }

    internal static Uri StatusUrl(HttpRequest request, string requestId) =>
        new($"{request.Scheme}://{request.Host}{request.PathBase}/v2/status/{Uri.EscapeDataString(requestId)}");

    private static async ValueTask<object?> RequireTokenAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var services = context.HttpContext.RequestServices;
        var expected = services.GetRequiredService<IOptions<SimulatorOptions>>().Value.ApiToken;
        var headers = context.HttpContext.Request.Headers;
        if (!headers.TryGetValue(TokenHeader, out var token) || string.IsNullOrEmpty(token))
        {
            services.GetRequiredService<SimulatorState>().RecordUnauthorized();
            return BriaErrors.Result(StatusCodes.Status401Unauthorized, "missing api_token header");
        }

        if (!string.Equals(token, expected, StringComparison.Ordinal))
        {
            services.GetRequiredService<SimulatorState>().RecordUnauthorized();
            return BriaErrors.Result(StatusCodes.Status403Forbidden, "invalid api_token");
        }

        return await next(context);
    }

    private static async Task<IResult> SubmitAsync(JobKind kind, HttpContext context, SimulatorState state)
    {
        JsonObject body;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);

            // An empty body is taken as {}: the simulator does not validate Bria's input fields.
            body = buffer.Length == 0 ? [] : JsonNode.Parse(buffer.ToArray()) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return BriaErrors.Result(StatusCodes.Status400BadRequest, "request body is not valid JSON");
        }

        var sync = body["sync"] is JsonValue syncValue && syncValue.TryGetValue<bool>(out var flag) && flag;
        var prompt = body["prompt"] is JsonValue promptValue && promptValue.TryGetValue<string>(out var text) ? text : null;
        Uri? webhookUrl = null;
        if (body["webhook_url"] is { } urlNode)
        {
            if (urlNode is not JsonValue urlValue || !urlValue.TryGetValue<string>(out var urlText)
                || !Uri.TryCreate(urlText, UriKind.Absolute, out webhookUrl) || !SimulatorState.IsWebhookUrl(webhookUrl))
            {
                return BriaErrors.Result(StatusCodes.Status400BadRequest, "webhook_url must be an absolute http or https URL");
            }
        }

        // A synchronous call is answered at once with a finished job; Bria's own sync failures are out of scope.
        var spec = sync
            ? new JobSpec { EndpointKind = kind, Prompt = prompt, DurationMs = 0, Outcome = JobOutcome.Completed }
            : new JobSpec { EndpointKind = kind, Prompt = prompt, WebhookUrl = webhookUrl };
        // Null only for a taken id, and a submit's id is 128 random bits.
        var info = state.TryCreate(spec)!;
        if (sync)
        {
            var read = state.ReadJob(info.RequestId, state.Time.GetUtcNow());
            return new JsonBytesResult(read.StatusCode, read.Body);
        }

        var accepted = new JsonObject
        {
            ["request_id"] = info.RequestId,
            ["status_url"] = StatusUrl(context.Request, info.RequestId).ToString(),
        };
        return new JsonBytesResult(StatusCodes.Status202Accepted, Encoding.UTF8.GetBytes(accepted.ToJsonString(SimulatorJson.BriaWire)));
    }

    private static async Task<IResult> StatusAsync(string requestId, HttpContext context, SimulatorState state)
    {
        var token = context.Request.Headers[TokenHeader].ToString();
        var userAgent = context.Request.Headers.UserAgent.ToString();
        var admission = state.AdmitStatusCall(token, requestId, state.Time.GetUtcNow(), userAgent.Length == 0 ? null : userAgent);
        if (admission.Latency > TimeSpan.Zero)
        {
            await Task.Delay(admission.Latency, state.Time, context.RequestAborted);
        }

        var now = state.Time.GetUtcNow();
        if (admission.FailureCode is { } code)
        {
            state.RecordAnswer(requestId, code, isTerminal: false, now);
            var details = admission.FromBudget ? "requests per minute budget exceeded" : "status service temporarily down";
            return BriaErrors.Result(code, details, admission.IncludeRequestId ? requestId : null, admission.RetryAfterSeconds);
        }

        var read = state.ReadJob(requestId, now);
        state.RecordAnswer(requestId, read.StatusCode, read.IsTerminal, now);
        return new JsonBytesResult(read.StatusCode, read.Body);
    }
}
