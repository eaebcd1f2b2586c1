using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>A RabbitMQ node of the test's own, beside the shared one: its own node name, AMQP and distribution ports
/// (free ones, picked at start), data and log directories and no plugins, so a test can really stop and start a
/// broker while the shared node at 127.0.0.1:5672 runs on for everyone else. Start-up takes seconds: share one node
/// per test class (<c>IClassFixture</c>). Needs the local <c>rabbitmq-server</c> that <c>scripts/test.sh</c> installs;
/// without it the fixture fails, it never skips.</summary>
public sealed class PrivateRabbitMqNode : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"statusbridge-rabbitmq-{Guid.NewGuid():N}");
    private readonly Dictionary<string, string> _environment = new(StringComparer.Ordinal);
    private int _port;

    /// <summary>The node's Erlang name, <c>statusbridge-test-…@host</c>.</summary>
    public string NodeName { get; } = $"statusbridge-test-{Guid.NewGuid().ToString("N")[..8]}@{ShortHostName()}";

    /// <summary>The amqp URI of the node's default virtual host (guest, loopback only).</summary>
    public Uri Uri => new($"amqp://guest:guest@127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)}/");

    public async Task InitializeAsync()
    {
        _port = FreePort();
        var distributionPort = FreePort();
        Directory.CreateDirectory(Path.Combine(_directory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(_directory, "log"));
        var plugins = Path.Combine(_directory, "enabled_plugins");
        await File.WriteAllTextAsync(plugins, "[].");
        // The server scripts run the node as the rabbitmq user (they switch to it when started as root).
        await RunAsync("chown", ["-R", "rabbitmq:rabbitmq", _directory], CommandTimeout);

        _environment["RABBITMQ_NODENAME"] = NodeName;
        _environment["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
        _environment["RABBITMQ_NODE_PORT"] = _port.ToString(CultureInfo.InvariantCulture);
        _environment["RABBITMQ_DIST_PORT"] = distributionPort.ToString(CultureInfo.InvariantCulture);
        _environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(_directory, "mnesia");
        _environment["RABBITMQ_LOG_BASE"] = Path.Combine(_directory, "log");
        _environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = plugins;

        await RunAsync("rabbitmq-server", ["-detached"], CommandTimeout);
        await WaitUntilStartedAsync();
    }

    /// <summary>Stops the RabbitMQ application on the node (<c>rabbitmqctl stop_app</c>): every connection is closed and
    /// the AMQP port refuses new ones, as in a broker restart; durable queues and persistent messages stay on disk.</summary>
    public Task StopAppAsync() => CtlAsync(["stop_app"], CommandTimeout);

    /// <summary>Starts the RabbitMQ application again (<c>rabbitmqctl start_app</c>) and waits until it accepts clients.</summary>
    public async Task StartAppAsync()
    {
        await CtlAsync(["start_app"], CommandTimeout);
        await CtlAsync(["await_startup"], CommandTimeout);
    }

    /// <summary>Stops the node and removes its directory.</summary>
    public async Task DisposeAsync()
    {
        if (_environment.Count > 0)
        {
            try
            {
                await CtlAsync(["stop"], CommandTimeout);
            }
            catch (InvalidOperationException)
            {
                // Never fully started: nothing to stop.
            }
        }

        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>A detached node registers with epmd a moment after the script returns; until then <c>await_startup</c>
    /// fails at once, so it is asked again until the node answers or the start-up time is over.</summary>
    private async Task WaitUntilStartedAsync()
    {
        var started = TimeProvider.System.GetTimestamp();
        using var periodic = new PeriodicTimer(TimeSpan.FromMilliseconds(500));
        while (true)
        {
            try
            {
                await CtlAsync(["await_startup"], CommandTimeout);
                return;
            }
            catch (InvalidOperationException) when (TimeProvider.System.GetElapsedTime(started) < StartTimeout)
            {
                // Not registered yet; past the start-up time the last failure, naming the node's log directory, is thrown.
            }

            await periodic.WaitForNextTickAsync();
        }
    }

    private Task CtlAsync(IReadOnlyList<string> arguments, TimeSpan timeout) =>
        RunAsync("rabbitmqctl", ["-q", "-n", NodeName, .. arguments], timeout);

    private async Task RunAsync(string file, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"{file} could not be started: the fault tests need the local RabbitMQ that `bash scripts/test.sh` installs.");
        using var deadline = new CancellationTokenSource(timeout);
        var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var error = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} did not finish within {timeout} (node {NodeName}, logs in {_directory}/log).");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{file} {string.Join(' ', arguments)} failed ({process.ExitCode}) for node {NodeName} (logs in {_directory}/log): {await error}{await output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The host part of a short Erlang node name, as RabbitMQ's scripts derive it.</summary>
    private static string ShortHostName() => Dns.GetHostName().Split('.')[0];
}
