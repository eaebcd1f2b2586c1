using System.Globalization;
using Microsoft.AspNetCore.Http.Features;

namespace Bria.StatusBridge.Api;

/// <summary>The <c>detail</c> of answers that the framework writes (no route, wrong method, wrong content type, body
/// or URL too large, a failure): every ProblemDetails says what to do next.</summary>
internal static class ApiProblemDefaults
{
    public const string Reference = "Every route, with its fields and examples, is at /scalar/ (the document: /openapi/v1.json).";

    public static void Customize(ProblemDetailsContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problem = context.ProblemDetails;
        if (!string.IsNullOrEmpty(problem.Detail))
        {
            return;
        }

        var http = context.HttpContext;
        var request = $"{http.Request.Method} {http.Request.Path}";
        problem.Detail = problem.Status switch
        {
            StatusCodes.Status400BadRequest => $"The request could not be read. {Reference}",
            StatusCodes.Status404NotFound => $"There is no route {request}. {Reference}",
            StatusCodes.Status405MethodNotAllowed => $"{http.Request.Path} does not take {http.Request.Method}: use {Allowed(http)}. {Reference}",
            StatusCodes.Status413PayloadTooLarge =>
                $"The body is larger than the {Limit(http)} bytes this API accepts: send the small JSON object the call documents (metadata is at most 8 KB).",
            StatusCodes.Status414UriTooLong => $"The URL is longer than {ApiLimits.MaxUrlLength} characters: ids are at most 200 characters; check what was appended.",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with the header 'Content-Type: application/json' (curl: -H 'Content-Type: application/json').",
            >= StatusCodes.Status500InternalServerError =>
                "The bridge failed to answer this request and logged the failure with this trace_id: retry, and if it keeps failing give the trace_id to the operator.",
            _ => $"{request} was refused. {Reference}",
        };
    }

    private static string Allowed(HttpContext http) =>
        http.Response.Headers.Allow.Count > 0 ? string.Join(" or ", http.Response.Headers.Allow.ToString().Split(',', StringSplitOptions.TrimEntries)) : "another method";

    private static string Limit(HttpContext http) =>
        (http.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? ApiLimits.MaxBodyBytes).ToString("N0", CultureInfo.InvariantCulture);
}
