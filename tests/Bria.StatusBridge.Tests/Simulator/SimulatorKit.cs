using System.Net;
using System.Net.Http.Json;
using System.Text;
using Bria.StatusBridge.Simulator;
using Microsoft.Extensions.Time.Testing;

namespace Bria.StatusBridge.Tests.Simulator;

/// <summary>Starts simulators on a fake clock with no random failures, and reads their answers.</summary>
internal static class SimulatorKit
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    public static Task<SimulatorHost> StartAsync(TimeProvider clock, Action<SimulatorOptions>? configure = null) =>
        SimulatorHost.StartAsync(options =>
        {
            options.TimeProvider = clock;
            options.ErrorRate = 0;
            options.UnknownTransientRate = 0;
            options.UnknownFinalRate = 0;
            configure?.Invoke(options);
        });

    public static FakeTimeProvider NewClock() => new(Start);

    public static async Task<Answer> GetStatusAsync(this HttpClient client, string requestId)
    {
        using var response = await client.GetAsync(new Uri($"v2/status/{requestId}", UriKind.Relative));
        return await Answer.ReadAsync(response);
    }

    public static async Task<Answer> PostJsonAsync(this HttpClient client, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        return await Answer.ReadAsync(response);
    }

    public static async Task<Answer> PutJsonAsync(this HttpClient client, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await client.PutAsync(new Uri(path, UriKind.Relative), content);
        return await Answer.ReadAsync(response);
    }

    /// <summary>Scripts one job through the control API, as a test or benchmark would.</summary>
    public static async Task CreateJobAsync(this HttpClient client, string json)
    {
        var answer = await client.PostJsonAsync("simulator/jobs", json);
        Assert.Equal(HttpStatusCode.Created, answer.Status);
    }

    public static async Task<T> GetFromJsonOrFailAsync<T>(this HttpClient client, string path) =>
        await client.GetFromJsonAsync<T>(new Uri(path, UriKind.Relative)) ?? throw new InvalidOperationException("empty body");
}
