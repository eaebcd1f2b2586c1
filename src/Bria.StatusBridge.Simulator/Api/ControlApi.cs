using System.Text.Json;
using System.Text.Json.Nodes;
using Bria.StatusBridge.Simulator.Faults;
using Bria.StatusBridge.Simulator.Jobs;
using Bria.StatusBridge.Simulator.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bria.StatusBridge.Simulator.Api;

/// <summary>The simulator's own API (not Bria's, no token): scripted jobs, faults and call statistics.</summary>
internal static class ControlApi
{
    private const int MaxBatch = 100_000;

    public static IEndpointRouteBuilder MapControlApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/simulator");
        api.MapPost("/jobs", CreateJobAsync);
        api.MapPost("/jobs/batch", CreateBatchAsync);
        api.MapGet("/jobs/{requestId}", GetJob);
        api.MapDelete("/jobs", (SimulatorState state) =>
        {
            state.ClearJobs();
            return TypedResults.NoContent();
        });
        api.MapGet("/faults", (SimulatorState state) => TypedResults.Ok(state.Faults));
        api.MapPut("/faults", PutFaultsAsync);
        api.MapDelete("/faults", (SimulatorState state) =>
        {
            state.ClearFaults();
            return TypedResults.NoContent();
        });
        api.MapGet("/webhooks", (SimulatorState state) => TypedResults.Ok(state.WebhookSettings));
        api.MapPut("/webhooks", PutWebhooksAsync);
        api.MapDelete("/webhooks", (SimulatorState state) =>
        {
            state.ClearWebhookSettings();
            return TypedResults.NoContent();
        });
        api.MapGet("/stats", (SimulatorState state, bool? requests) =>
        {
            // requests=false leaves out the per-id detail, which grows with every call of a long benchmark.
            var stats = state.GetStats();
            return TypedResults.Ok(requests == false ? stats with { Requests = new Dictionary<string, Stats.RequestStats>() } : stats);
        });
        api.MapDelete("/stats", (SimulatorState state) =>
        {
            state.ResetStats();
            return TypedResults.NoContent();
        });
        return app;
    }

    private static async Task<IResult> CreateJobAsync(HttpRequest request, SimulatorState state)
    {
        var node = await ReadAsync(request);
        if (node is not JsonObject)
        {
            return Invalid("The body must be a job object; use /simulator/jobs/batch for several.");
        }

        if (!TryParse(node, out var spec, out var problem))
        {
            return Invalid(problem);
        }

        var info = state.TryCreate(spec);
        if (info is null)
        {
            return TypedResults.Problem(title: "Request id taken", detail: $"A job '{spec.RequestId}' exists already.", statusCode: StatusCodes.Status409Conflict);
        }

        var view = JobView.From(info, request);
        return TypedResults.Created($"/simulator/jobs/{Uri.EscapeDataString(info.RequestId)}", view);
    }

    /// <summary>Accepts a list of jobs, or <c>{"count": n, "template": {...}}</c> for n alike jobs.</summary>
    private static async Task<IResult> CreateBatchAsync(HttpRequest request, SimulatorState state)
    {
        var node = await ReadAsync(request);
        var specs = new List<JobSpec>();
        if (node is JsonArray array)
        {
            foreach (var item in array)
            {
                if (item is null)
                {
                    return Invalid($"Job {specs.Count}: null");
                }

                if (!TryParse(item, out var spec, out var problem))
                {
                    return Invalid($"Job {specs.Count}: {problem}");
                }

                specs.Add(spec);
            }
        }
        else if (node is JsonObject batch && batch["count"] is JsonValue countValue && countValue.TryGetValue<int>(out var count))
        {
            if (count is < 1 or > MaxBatch)
            {
                return Invalid($"count must lie in [1, {MaxBatch}].");
            }

            if (!TryParse(batch["template"] ?? new JsonObject(), out var template, out var problem))
            {
                return Invalid(problem);
            }

            // A template's request_id becomes a prefix, so the ids stay predictable: prefix-0, prefix-1, ...
            for (var i = 0; i < count; i++)
            {
                specs.Add(template with { RequestId = template.RequestId is null ? null : $"{template.RequestId}-{i}" });
            }
        }
        else
        {
            return Invalid("The body must be a list of jobs or {\"count\": n, \"template\": {...}}.");
        }

        if (specs.Count > MaxBatch)
        {
            return Invalid($"At most {MaxBatch} jobs per batch.");
        }

        var duplicates = specs.Where(s => s.RequestId is not null).GroupBy(s => s.RequestId, StringComparer.Ordinal)
            .Where(g => g.Count() > 1 || state.TryGetJob(g.Key!, out _)).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            return TypedResults.Problem(title: "Request id taken", detail: $"Ids used twice or existing already: {string.Join(", ", duplicates.Take(10))}", statusCode: StatusCodes.Status409Conflict);
        }

        var views = new List<JobView>(specs.Count);
        foreach (var spec in specs)
        {
            if (state.TryCreate(spec) is { } info)
            {
                views.Add(JobView.From(info, request));
            }
        }

        return TypedResults.Created("/simulator/jobs", new { Jobs = views });
    }

    private static IResult GetJob(string requestId, HttpRequest request, SimulatorState state) =>
        state.TryGetJob(requestId, out var info)
            ? TypedResults.Ok(JobView.From(info!, request))
            : TypedResults.Problem(title: "No such job", detail: $"The simulator holds no job '{requestId}'.", statusCode: StatusCodes.Status404NotFound);

    private static async Task<IResult> PutFaultsAsync(HttpRequest request, SimulatorState state)
    {
        var (settings, invalid) = await ReadSettingsAsync<FaultSettings>(request, "faults", s => s.Problem());
        if (settings is null)
        {
            return invalid!;
        }

        state.SetFaults(settings);
        return TypedResults.Ok(settings);
    }

    private static async Task<IResult> PutWebhooksAsync(HttpRequest request, SimulatorState state)
    {
        var (settings, invalid) = await ReadSettingsAsync<WebhookSettings>(request, "webhook settings", s => s.Problem());
        if (settings is null)
        {
            return invalid!;
        }

        state.SetWebhookSettings(settings);
        return TypedResults.Ok(settings);
    }

    /// <summary>Reads a settings object (unknown fields refused), or the problem to answer instead.</summary>
    private static async Task<(T? Settings, IResult? Invalid)> ReadSettingsAsync<T>(HttpRequest request, string what, Func<T, string?> problemOf)
        where T : class
    {
        var node = await ReadAsync(request);
        T? settings;
        try
        {
            settings = node?.Deserialize<T>(SimulatorJson.Strict);
        }
        catch (JsonException ex)
        {
            return (null, Invalid(ex.Message));
        }

        if (settings is null)
        {
            return (null, Invalid($"The body must be a {what} object."));
        }

        return problemOf(settings) is { } problem ? (null, Invalid(problem)) : (settings, null);
    }

    private static async Task<JsonNode?> ReadAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool TryParse(JsonNode node, out JobSpec spec, out string problem)
    {
        spec = new JobSpec();
        try
        {
            if (node is not JsonObject)
            {
                problem = "A job must be an object.";
                return false;
            }

            spec = node.Deserialize<JobSpec>(SimulatorJson.Strict) ?? spec;
        }
        catch (JsonException ex)
        {
            problem = ex.Message;
            return false;
        }

        problem = SimulatorState.SpecProblem(spec) ?? string.Empty;
        return problem.Length == 0;
    }

    private static ProblemHttpResult Invalid(string detail) =>
        TypedResults.Problem(title: "Invalid simulator request", detail: detail, statusCode: StatusCodes.Status400BadRequest);
}
