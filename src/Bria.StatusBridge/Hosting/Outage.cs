namespace Bria.StatusBridge.Hosting;

/// <summary>One condition that can start and end (the store unreachable, the broker away, Bria failing or refusing the
/// token). Every failed call reports it, but only its changes are logged: once when it begins, once every
/// <see cref="OutageOptions.Reminder"/> while it lasts, once when it ends. Counts go to metrics.</summary>
/// <remarks>With a <paramref name="settle"/> time, a success ends the condition only once that long has passed without a
/// failure, so that a dependency failing every other call is one outage, not one per call.</remarks>
internal sealed partial class Outage(string name, OutageOptions options, OutageMetrics metrics, TimeProvider time, ILogger logger, TimeSpan settle = default)
{
    private readonly Lock _lock = new();
    private DateTimeOffset _since;
    private DateTimeOffset _lastLogged;
    private DateTimeOffset _lastFailure;
    private long _failures;
    private string _detail = "";

    /// <summary>The dependency's name, as in the metrics' <c>dependency</c> tag.</summary>
    public string Name { get; } = name;

    /// <summary>Whether the condition holds now.</summary>
    public bool Active { get; private set; }

    /// <summary>When the condition began, while it holds.</summary>
    public DateTimeOffset? Since
    {
        get
        {
            lock (_lock)
            {
                return Active ? _since : null;
            }
        }
    }

    /// <summary>The latest failure's description (never a secret: exception types, HTTP codes and reasons only).</summary>
    public string Detail
    {
        get
        {
            lock (_lock)
            {
                return _detail;
            }
        }
    }

    /// <summary>Records one failure; logs only when it starts the condition or the reminder is due. True when it began now.</summary>
    public bool Report(string detail)
    {
        var now = time.GetUtcNow();
        bool began;
        lock (_lock)
        {
            _detail = detail;
            _failures++;
            _lastFailure = now;
            began = !Active;
            if (began)
            {
                Active = true;
                _since = now;
                _lastLogged = now;
                _failures = 1;
                LogBegan(logger, Name, detail);
            }
            else if (now - _lastLogged >= options.Reminder)
            {
                _lastLogged = now;
                LogStillGoing(logger, Name, now - _since, _failures, detail);
            }
        }

        metrics.Failure(Name);
        if (began)
        {
            metrics.Began(Name);
        }

        return began;
    }

    /// <summary>Records that the dependency works again; logs the end once. True when the condition ended now.</summary>
    public bool Clear()
    {
        if (!Active)
        {
            return false;
        }

        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!Active || now - _lastFailure < settle)
            {
                return false;
            }

            Active = false;
            LogEnded(logger, Name, now - _since, _failures);
        }

        return true;
    }

    [LoggerMessage(EventId = 1300, Level = LogLevel.Error, Message = "Outage of {Dependency} began: {Detail}")]
    private static partial void LogBegan(ILogger logger, string dependency, string detail);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Outage of {Dependency} still going after {Duration}: {Failures} failures so far, the latest: {Detail}")]
    private static partial void LogStillGoing(ILogger logger, string dependency, TimeSpan duration, long failures, string detail);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Outage of {Dependency} ended after {Duration} and {Failures} failures")]
    private static partial void LogEnded(ILogger logger, string dependency, TimeSpan duration, long failures);
}
