using System.Diagnostics;
using System.Globalization;
using Bria.StatusBridge.Hosting;

namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>The bridge in a process of its own, so that its CPU time and peak memory are its own: this program
/// started again with <see cref="ServeCommand"/>, configured through <c>Section__Key</c> environment variables,
/// stopping when its standard input closes.</summary>
internal sealed class ChildBridge : IAsyncDisposable
{
    public const string ServeCommand = "serve-bridge";
    private readonly Process _process;

    private ChildBridge(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public int ProcessId => _process.Id;

    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The peak resident set (VmHWM) in bytes.</summary>
    public long PeakMemoryBytes => StatusField("VmHWM:");

    public long MemoryBytes => StatusField("VmRSS:");

    public static async Task<ChildBridge> StartAsync(IDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var assembly = typeof(ChildBridge).Assembly.Location;
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        start.ArgumentList.Add(ServeCommand);
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("The bridge process could not be started.");
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("LISTENING ", StringComparison.Ordinal))
                {
                    _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                    return new ChildBridge(process, new Uri(line["LISTENING ".Length..]));
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Reported below with whatever the process wrote.
        }

        process.Kill(entireProcessTree: true);
        throw new InvalidOperationException($"The bridge process did not start: {await errors}");
    }

    /// <summary>In the child: runs the bridge until standard input closes.</summary>
    public static async Task<int> ServeAsync(CancellationToken cancellationToken)
    {
        await using var app = BridgeApplication.Create([]);
        await app.StartAsync(cancellationToken);
        await Console.Out.WriteLineAsync("LISTENING " + app.Urls.First());
        await Console.Out.FlushAsync(cancellationToken);
        await Console.In.ReadToEndAsync(cancellationToken);
        await app.StopAsync(CancellationToken.None);
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private long StatusField(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kilobytes = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
