using System.Text.Json.Nodes;

namespace Bria.StatusBridge.Simulator.Jobs;

/// <summary>One job's state machine. Reads move it forward only, and terminal bodies are rendered once,
/// so every later read returns the same bytes.</summary>
internal sealed class SimulatedJob
{
    private readonly Lock _lock = new();
    private readonly JsonObject _result;
    private readonly JsonObject _error;
    private readonly JsonObject? _topLevel;
    private readonly int _unknownReads;
    private byte[]? _inProgressBody;
    private byte[]? _unknownBody;
    private byte[]? _terminalBody;
    private int _unknownServed;
    private bool _finished;
    private bool _terminalServed;
    private bool _expired;

    public SimulatedJob(JobInfo info, JsonObject result, JsonObject? error, JsonObject? topLevel, int unknownReads)
    {
        Info = info;
        _result = result;
        _topLevel = topLevel;
        _unknownReads = unknownReads;
        _error = error ?? (info.Outcome == JobOutcome.Error ? JobBodies.DefaultError() : JobBodies.DefaultUnknown());
    }

    public JobInfo Info { get; }

    public string RequestId => Info.RequestId;

    public JobRead Read(DateTimeOffset now)
    {
        lock (_lock)
        {
            // Flags rather than clock comparisons alone: a clock moved backwards must not move a job back.
            if (_expired || now >= Info.ExpiresAt)
            {
                _expired = true;
                return new JobRead(StatusCodes.Status404NotFound, JobBodies.NotFound, IsTerminal: true);
            }

            if (_terminalServed)
            {
                return new JobRead(StatusCodes.Status200OK, TerminalBody(), IsTerminal: true);
            }

            if (!_finished && now < Info.FinishesAt)
            {
                _inProgressBody ??= JobBodies.InProgress(RequestId);
                return new JobRead(StatusCodes.Status200OK, _inProgressBody, IsTerminal: false);
            }

            _finished = true;
            switch (Info.Outcome)
            {
                case JobOutcome.UnknownThenCompleted when _unknownServed < _unknownReads:
                    _unknownServed++;
                    _unknownBody ??= JobBodies.Failed(RequestId, "UNKNOWN", _error, _topLevel);
                    return new JobRead(StatusCodes.Status200OK, _unknownBody, IsTerminal: false);
                case JobOutcome.Expire:
                    _expired = true;
                    return new JobRead(StatusCodes.Status404NotFound, JobBodies.NotFound, IsTerminal: true);
                default:
                    _terminalServed = true;
                    return new JobRead(StatusCodes.Status200OK, TerminalBody(), IsTerminal: true);
            }
        }
    }

    /// <summary>The body Bria's own webhook carries: the final status body (for a transient UNKNOWN, the COMPLETED
    /// that follows it), the same bytes a status read returns once the job is terminal. Reads do not move.</summary>
    public byte[] WebhookBody()
    {
        lock (_lock)
        {
            return TerminalBody();
        }
    }

    private byte[] TerminalBody() => _terminalBody ??= Info.Outcome switch
    {
        JobOutcome.Error => JobBodies.Failed(RequestId, "ERROR", _error, _topLevel),
        JobOutcome.Unknown => JobBodies.Failed(RequestId, "UNKNOWN", _error, _topLevel),
        _ => JobBodies.Completed(RequestId, _result, _topLevel),
    };
}
