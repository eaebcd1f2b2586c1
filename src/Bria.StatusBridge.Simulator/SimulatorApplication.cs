using Bria.StatusBridge.Simulator.Api;
using Bria.StatusBridge.Simulator.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Simulator;

/// <summary>Builds the Bria simulator; shared by <c>Program</c> and the tests.</summary>
public static class SimulatorApplication
{
    /// <summary>Creates the simulator application, ready to run.</summary>
    /// <param name="args">Command-line arguments (for example <c>--urls</c>, <c>--Simulator:ApiToken</c>).</param>
    /// <param name="configure">Applied after configuration binding, so code wins over settings.</param>
    public static WebApplication Create(string[] args, Action<SimulatorOptions>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);

        // Per-request hosting logs would dominate output (and time) when a benchmark polls thousands of jobs.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        builder.Services.AddOptions<SimulatorOptions>()
            .BindConfiguration(SimulatorOptions.SectionName)
            .Configure(options => configure?.Invoke(options))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SimulatorOptions>>(new SimulatorOptionsValidator());
        builder.Services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<SimulatorOptions>>().Value.TimeProvider ?? TimeProvider.System);
        builder.Services.AddSingleton(sp => new SimulatorState(
            sp.GetRequiredService<IOptions<SimulatorOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<SimulatorState>>()));
        builder.Services.AddHttpClient(WebhookDispatcher.HttpClientName, client => client.DefaultRequestHeaders.UserAgent.ParseAdd("Bria-Simulator-Webhooks/1.0"));
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService<WebhookSenderService>();
        builder.Services.ConfigureHttpJsonOptions(json => SimulatorJson.Configure(json.SerializerOptions));

        var app = builder.Build();
        app.MapBriaApi();
        app.MapControlApi();
        return app;
    }
}
