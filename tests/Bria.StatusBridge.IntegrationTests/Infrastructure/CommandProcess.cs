using System.Diagnostics;
using Bria.StatusBridge.Hosting;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>The built bridge run as a user runs it (<c>Bria.StatusBridge demo</c>, or with bad settings), its standard
/// output and error kept line by line.</summary>
public sealed class CommandProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly LockedCollection<string> _output = new();
    private readonly LockedCollection<string> _errors = new();

    private CommandProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Standard output so far, line by line.</summary>
    public IReadOnlyList<string> Output => _output.ToList();

    /// <summary>Standard error so far, line by line.</summary>
    public IReadOnlyList<string> Errors => _errors.ToList();

    /// <summary>Starts <c>dotnet Bria.StatusBridge.dll</c> with <paramref name="arguments"/> in its build directory,
    /// with <paramref name="environment"/> added and none of the test host's ASP.NET settings.</summary>
    public static CommandProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var assembly = typeof(BridgeApplication).Assembly.Location;
        var start = new ProcessStartInfo(BridgeProcess.DotnetHost())
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k == "DOTNET_ENVIRONMENT").ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var command = new CommandProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                command._output.Add(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                command._errors.Add(e.Data);
            }
        };
        if (!process.Start())
        {
            throw new InvalidOperationException($"{start.FileName} {assembly} did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return command;
    }

    /// <summary>Waits until a line of standard output satisfies <paramref name="condition"/>; fails with the output so
    /// far when the process ends first or time runs out.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> condition, TimeSpan timeout)
    {
        string? found = null;
        await Eventually.HoldsAsync(
            () =>
            {
                found = Output.FirstOrDefault(condition);
                if (found is null && _process.HasExited)
                {
                    Assert.Fail($"The process exited with {_process.ExitCode} first:\n{Transcript()}");
                }

                return Task.FromResult(found is not null);
            },
            timeout,
            Transcript);
        return found!;
    }

    /// <summary>Waits for the process to end and answers its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"The process did not exit within {timeout}:\n{Transcript()}");
        }

        // Let the last lines of the redirected streams arrive.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Everything the process wrote, for failure messages.</summary>
    public string Transcript() => $"--- stdout ---\n{string.Join('\n', Output)}\n--- stderr ---\n{string.Join('\n', Errors)}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
