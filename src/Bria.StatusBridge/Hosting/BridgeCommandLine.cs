using Bria.StatusBridge.Demo;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Portal;

namespace Bria.StatusBridge.Hosting;

/// <summary>The service's commands: no command runs the service; <c>migrate</c> brings the schema up to date and exits
/// (the Helm chart's pre-install/pre-upgrade Job and the compose file's one-off service run it); <c>demo</c> runs every
/// outcome end to end against an in-process simulator on the embedded defaults.</summary>
public static class BridgeCommandLine
{
    /// <summary>The command that applies migrations and exits.</summary>
    public const string Migrate = "migrate";

    /// <summary>The command that runs the demo.</summary>
    public const string Demo = "demo";

    /// <summary>Runs the command in <paramref name="args"/> and answers the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && string.Equals(args[0], Migrate, StringComparison.OrdinalIgnoreCase))
        {
            return await MigrateAsync(args[1..]);
        }

        if (args.Length > 0 && string.Equals(args[0], Demo, StringComparison.OrdinalIgnoreCase))
        {
            return await DemoCommand.RunAsync(args[1..]);
        }

        await using var app = BridgeApplication.Build(args);
        if (!BridgeApplication.CheckConfiguration(app, Console.Error))
        {
            return ConfigurationCheck.ExitCode;
        }

        await BridgeApplication.Map(app).RunAsync();
        return 0;
    }

    private static async Task<int> MigrateAsync(string[] args)
    {
        // Built, never started: no bus connection, no loops; only the store's settings matter.
        await using var app = BridgeApplication.Build(args);
        if (!BridgeApplication.CheckConfiguration(app, Console.Error, typeof(PersistenceOptions)))
        {
            return ConfigurationCheck.ExitCode;
        }

        var runner = app.Services.GetRequiredService<MigrationRunner>();
        using var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopping.Cancel();
        };

        try
        {
            var applied = await runner.MigrateAsync(stopping.Token);
            PortalKeyRing.EnsureKey(app.Services);
            await Console.Out.WriteLineAsync(applied.Count == 0
                ? "migrate: the schema is up to date; nothing applied"
                : $"migrate: applied {applied.Count}: {string.Join(", ", applied)}");
            return 0;
        }
        catch (Exception exception)
        {
            // Driver messages name hosts and databases, never passwords.
            await Console.Error.WriteLineAsync($"migrate: failed: {exception.GetType().Name}: {exception.Message}");
            return 1;
        }
    }
}
