using Microsoft.AspNetCore.Http.HttpResults;

namespace Bria.StatusBridge.Api;

/// <summary>ProblemDetails (RFC 9457) answers that tell the caller what to do next.</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult NotFound(string what, string id, string hint) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: $"{what} not found",
            detail: $"No {what.ToLowerInvariant()} '{Shorten(id)}' exists for your account: check the id. {hint}");

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    public static ProblemHttpResult Invalid(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: title, detail: detail, extensions: extensions);

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(
            errors,
            detail: string.Join(" ", errors.SelectMany(e => e.Value)),
            title: "The request has invalid fields");

    public static string Shorten(string value) => value.Length <= 80 ? value : value[..77] + "...";
}
