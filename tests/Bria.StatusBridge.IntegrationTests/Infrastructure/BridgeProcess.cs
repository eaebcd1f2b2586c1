using System.Diagnostics;
using System.Text.RegularExpressions;
using Bria.StatusBridge.Hosting;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>The built bridge as a separate operating-system process, configured through environment variables, so that
/// a test can kill it outright (SIGKILL, nothing flushed, no shutdown hooks) or run several replicas side by side.</summary>
/// <remarks>The process writes its stdout and stderr straight into its log file (a shell redirects them, then
/// <c>exec</c>s the bridge, so the process id is the bridge's own). No pipe stands between the bridge and the file: a
/// test process too busy to drain a pipe would otherwise fill it and block the bridge's console logger, and with it
/// every consumer that logs, while health checks (which log nothing) still answer.</remarks>
public sealed partial class BridgeProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private BridgeProcess(Process process, string name, string logPath)
    {
        _process = process;
        Name = name;
        LogPath = logPath;
    }

    /// <summary>The name the test gave this replica (for messages).</summary>
    public string Name { get; }

    /// <summary>The file holding everything the process wrote to stdout and stderr.</summary>
    public string LogPath { get; }

    /// <summary>Where the bridge listens, once started.</summary>
    public Uri? BaseUrl { get; private set; }

    /// <summary>Whether the process has ended (killed, crashed or stopped).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <c>dotnet Bria.StatusBridge.dll</c> with <paramref name="settings"/> (configuration keys such as
    /// <c>Polling:Image:FirstDelay</c>, passed as <c>Polling__Image__FirstDelay</c>) and waits until it answers
    /// <c>/healthz</c>: by then migrations ran and the bus consumes, because the web server starts last.</summary>
    public static async Task<BridgeProcess> StartAsync(string name, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken = default)
    {
        var assembly = typeof(BridgeApplication).Assembly.Location;
        var directory = Path.GetDirectoryName(assembly)!;
        var logPath = Path.Combine(Path.GetTempPath(), $"statusbridge-{name}-{Guid.NewGuid():N}.log");
        File.WriteAllText(logPath, string.Empty);
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("exec \"$0\" \"$@\" >>\"$STATUSBRIDGE_PROCESS_LOG\" 2>&1");
        start.ArgumentList.Add(DotnetHost());
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.ArgumentList.Add("--environment");
        start.ArgumentList.Add("Testing");
        start.Environment["STATUSBRIDGE_PROCESS_LOG"] = logPath;

        // The test host's own ASP.NET and .NET settings must not leak into the bridge's configuration.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["Logging__Console__FormatterName"] = "simple";
        start.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        start.Environment["Logging__Console__FormatterOptions__TimestampFormat"] = "HH:mm:ss.fff ";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var bridge = new BridgeProcess(process, name, logPath);
        if (!process.Start())
        {
            throw new InvalidOperationException($"/bin/sh {assembly} did not start.");
        }

        try
        {
            await bridge.WaitUntilReadyAsync(cancellationToken);
            return bridge;
        }
        catch
        {
            await bridge.DisposeAsync();
            throw;
        }
    }

    /// <summary>Kills the process and its children at once (SIGKILL) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Stops the process gracefully (SIGTERM, as an orchestrator would) and waits until it has exited.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } }))
        {
            await kill!.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(deadline.Token);
    }

    /// <summary>The last lines of the process's output, for failure messages.</summary>
    public string Tail(int lines = 40)
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var all = reader.ReadToEnd().Split('\n');
        return $"--- last lines of {Name} ({LogPath}) ---\n" + string.Join('\n', all.TakeLast(lines));
    }

    /// <summary>Counts output lines matching <paramref name="pattern"/> (for example logged errors).</summary>
    public int CountLines(string pattern)
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        return reader.ReadToEnd().Split('\n').Count(regex.IsMatch);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started.
        }

        _process.Dispose();
    }

    internal static string DotnetHost()
    {
        // The SDK tells child processes which dotnet runs them; the test host itself may be an apphost.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var current = Environment.ProcessPath;
        return current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        var exited = _process.WaitForExitAsync(timeout.Token);
        var listening = ListeningAddressAsync(timeout.Token);
        try
        {
            if (await Task.WhenAny(listening, exited) != listening)
            {
                throw new InvalidOperationException($"Bridge {Name} exited with {_process.ExitCode} before it listened.\n{Tail()}");
            }

            BaseUrl = await listening;
            using var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
            using var periodic = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
            while (true)
            {
                try
                {
                    using var response = await client.GetAsync(new Uri("healthz", UriKind.Relative), timeout.Token);
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Not answering yet.
                }

                await periodic.WaitForNextTickAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Bridge {Name} was not ready within {StartTimeout}.\n{Tail()}");
        }
    }

    /// <summary>Reads the log until the web server says where it listens (plain or JSON console lines: "Now listening
    /// on: http://127.0.0.1:41234" or ..."Message":"Now listening on: http://...").</summary>
    private async Task<Uri> ListeningAddressAsync(CancellationToken cancellationToken)
    {
        using var periodic = new PeriodicTimer(TimeSpan.FromMilliseconds(50));
        while (true)
        {
            using (var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            using (var reader = new StreamReader(stream))
            {
                if (ListeningPattern().Match(await reader.ReadToEndAsync(cancellationToken)) is { Success: true } match
                    && Uri.TryCreate(match.Groups[1].Value, UriKind.Absolute, out var address))
                {
                    return address;
                }
            }

            await periodic.WaitForNextTickAsync(cancellationToken);
        }
    }

    [GeneratedRegex(@"Now listening on:\s*(http://[^\s"",]+)")]
    private static partial Regex ListeningPattern();
}
