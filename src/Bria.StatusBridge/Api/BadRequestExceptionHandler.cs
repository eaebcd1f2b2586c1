using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;

namespace Bria.StatusBridge.Api;

/// <summary>Turns a body or parameter that cannot be read (bad JSON, unknown field, wrong type) into a ProblemDetails
/// that names the field and says what to send.</summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var detail = Describe(badRequest);
        httpContext.Response.StatusCode = badRequest.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = badRequest.StatusCode, Title = "The request could not be read", Detail = detail },
        });
    }

    private static string Describe(BadHttpRequestException badRequest)
    {
        if (badRequest.InnerException is JsonException json)
        {
            var path = json.Path ?? "$";
            return json.Message.Contains("could not be mapped", StringComparison.Ordinal)
                ? $"The body has a field this call does not take ({path}): remove it. Fields are snake_case; the partner always comes from the API key."
                : $"The JSON body could not be read at {path}: {FirstSentence(json.Message)} Send a JSON object with the documented snake_case fields (see /openapi/v1.json).";
        }

        if (badRequest.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return "Send the body as JSON with the header 'Content-Type: application/json'.";
        }

        var binding = BindingFailure().Match(badRequest.Message);
        if (binding.Success)
        {
            return $"The parameter '{binding.Groups["name"].Value}' cannot be '{binding.Groups["value"].Value}': give a {Friendly(binding.Groups["type"].Value)}.";
        }

        return badRequest.Message.Contains("body was not provided", StringComparison.OrdinalIgnoreCase)
            ? "This call needs a JSON body: see the API reference (/scalar) for its fields."
            : $"{badRequest.Message} See the API reference (/scalar).";
    }

    private static string Friendly(string type) => type switch
    {
        _ when type.Contains("int", StringComparison.OrdinalIgnoreCase) => "whole number",
        _ when type.Contains("DateTimeOffset", StringComparison.Ordinal) => "ISO 8601 time such as 2025-01-31T12:00:00Z",
        _ => type.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>'),
    };

    [GeneratedRegex("""^Failed to bind parameter "(?<type>.+) (?<name>\w+)" from "(?<value>.*)"\.$""")]
    private static partial Regex BindingFailure();

    // System.Text.Json appends "Path: ... | LineNumber: ..." and names .NET types: the path is given separately.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = cut > 0 ? message[..cut] : message;
        return text.Replace("Bria.StatusBridge.Api.Models.", "", StringComparison.Ordinal);
    }
}
