using System.Diagnostics;

namespace Bria.StatusBridge.Benchmarks.Infrastructure;

/// <summary>The progress line: at most one line every two seconds, so that logs stay readable.</summary>
internal sealed class Progress(TextWriter output, string scenario)
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(2);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _last = TimeSpan.MinValue;

    public void Phase(string text)
    {
        output.WriteLine($"[{scenario} {_clock.Elapsed.TotalSeconds,6:0.0}s] {text}");
        _last = _clock.Elapsed;
    }

    public void Tick(Func<string> text)
    {
        if (_clock.Elapsed - _last < Every)
        {
            return;
        }

        Phase(text());
    }
}
