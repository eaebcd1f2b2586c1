using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bria.StatusBridge.Tracking;
using Microsoft.AspNetCore.Diagnostics;

namespace Bria.StatusBridge.Api;

/// <summary>Turns a body or parameter that cannot be read (no body, bad JSON, unknown field, wrong type, unknown
/// value) into a ProblemDetails that names the field (under <c>errors</c>, by its wire name) and says what to send.</summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    // Every field of every request body, by wire name: the same name has the same type in every body.
    private static readonly Dictionary<string, Type> FieldTypes = typeof(BadRequestExceptionHandler).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(Models.TrackRequestBody).Namespace && t.Name.EndsWith("Body", StringComparison.Ordinal))
        .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        .GroupBy(p => FieldErrors.WireName(p.Name), StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().PropertyType, StringComparer.Ordinal);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException badRequest)
        {
            return false;
        }

        var (detail, field) = Describe(httpContext, badRequest);
        httpContext.Response.StatusCode = badRequest.StatusCode;
        var context = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = badRequest.StatusCode, Title = "The request could not be read", Detail = detail },
        };
        if (field is not null)
        {
            context.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [detail] };
        }

        return await problems.TryWriteAsync(context);
    }

    private static (string Detail, string? Field) Describe(HttpContext httpContext, BadHttpRequestException badRequest)
    {
        if (badRequest.InnerException is JsonException json)
        {
            return DescribeJson(json);
        }

        if (badRequest.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return ("Send the body as JSON with the header 'Content-Type: application/json' (curl: -H 'Content-Type: application/json').", null);
        }

        var binding = BindingFailure().Match(badRequest.Message);
        if (binding.Success)
        {
            var name = binding.Groups["name"].Value;
            return ($"The parameter '{name}' cannot be '{binding.Groups["value"].Value}': give {Friendly(binding.Groups["type"].Value)}.", name);
        }

        if (badRequest.Message.Contains("no body was provided", StringComparison.OrdinalIgnoreCase)
            || badRequest.Message.Contains("body was not provided", StringComparison.OrdinalIgnoreCase))
        {
            var operation = httpContext.Items[ApiEndpointRouteBuilderExtensions.OperationItem] as string;
            var example = ApiExamples.RequestBody(operation);
            return (example is null
                ? $"This call needs a JSON body with the header 'Content-Type: application/json'. {ApiProblemDefaults.Reference}"
                : $"This call needs a JSON body, such as {example}, with the header 'Content-Type: application/json'. {ApiProblemDefaults.Reference}", null);
        }

        return ($"The request could not be read: {badRequest.Message} {ApiProblemDefaults.Reference}", null);
    }

    private static (string Detail, string? Field) DescribeJson(JsonException json)
    {
        var path = json.Path ?? "$";
        var field = FieldOf(path);
        if (json.Message.Contains("could not be mapped", StringComparison.Ordinal))
        {
            return ($"The body has a field this call does not take ({path}): remove it. Fields are snake_case; the partner always comes from the API key.", field);
        }

        if (field is not null && json.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            var expected = FieldTypes.TryGetValue(field, out var type) ? Expected(type) : "of the type the API reference (/scalar/) gives";
            return ($"The JSON body could not be read at {path}: {field} must be {expected}.", field);
        }

        if (field is null && json.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return ($"The body must be a JSON object with the documented snake_case fields, not an array or a single value. {ApiProblemDefaults.Reference}", null);
        }

        if (field is not null && json.Message.StartsWith("must be ", StringComparison.Ordinal))
        {
            // A converter of ours wrote the rule; the field comes from the path.
            return ($"The JSON body could not be read at {path}: {field} {FirstSentence(json.Message)}", field);
        }

        return ($"The JSON body could not be read at {path}: {FirstSentence(json.Message)} Send a JSON object with the documented snake_case fields. {ApiProblemDefaults.Reference}", field);
    }

    // "$.event_types[0]" and "$.metadata.order" are about event_types and metadata.
    private static string? FieldOf(string path)
    {
        var match = TopField().Match(path);
        return match.Success ? match.Groups["field"].Value : null;
    }

    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(string) => "a string",
            _ when type == typeof(int) || type == typeof(long) => "a whole number",
            _ when type == typeof(bool) => "true or false",
            _ when type == typeof(DateTimeOffset) => WireTimeJsonConverter.Expected,
            _ when type.IsEnum => $"one of {WireNames.Choices(type)}",
            _ when typeof(IEnumerable<KeyValuePair<string, string>>).IsAssignableFrom(type) => "an object whose values are strings, such as {\"order\": \"17\"}",
            _ when typeof(IEnumerable<string>).IsAssignableFrom(type) => "an array of strings",
            _ => "of the type the API reference (/scalar/) gives",
        };
    }

    private static string Friendly(string type) => type switch
    {
        _ when type.Contains("int", StringComparison.OrdinalIgnoreCase) => "a whole number",
        _ when type.Contains("DateTimeOffset", StringComparison.Ordinal) => WireTimeJsonConverter.Expected,
        _ => "a " + type.Replace("Nullable<", "", StringComparison.Ordinal).TrimEnd('>'),
    };

    [GeneratedRegex("""^Failed to bind parameter "(?<type>.+) (?<name>\w+)" from "(?<value>.*)"\.$""")]
    private static partial Regex BindingFailure();

    [GeneratedRegex(@"^\$\.(?<field>[A-Za-z0-9_]+)")]
    private static partial Regex TopField();

    // System.Text.Json appends "Path: ... | LineNumber: ..." and names .NET types: the path is given separately.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = cut > 0 ? message[..cut] : message;
        return text.Replace("Bria.StatusBridge.Api.Models.", "", StringComparison.Ordinal);
    }
}
