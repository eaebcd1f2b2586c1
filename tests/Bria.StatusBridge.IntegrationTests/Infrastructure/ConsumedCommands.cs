using System.Collections.Concurrent;
using Bria.StatusBridge.Contracts;
using MassTransit;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Watches a bus consume <see cref="TrackRequest"/> commands, so that a test knows a command was handled
/// (stored or refused) before it asserts that nothing more happens.</summary>
public sealed class ConsumedCommands : IConsumeObserver
{
    private readonly ConcurrentQueue<(TrackRequest Command, bool Faulted)> _handled = new();

    /// <summary>How many commands for <paramref name="requestId"/> (and <paramref name="correlationId"/>) were handled.</summary>
    public int Count(string requestId, string? correlationId) =>
        _handled.Count(h => h.Command.RequestId == requestId && h.Command.CorrelationId == correlationId);

    /// <summary>Waits until <paramref name="count"/> commands for the request and correlation id were handled.</summary>
    public Task WaitForAsync(string requestId, string? correlationId, int count, TimeSpan timeout) =>
        Eventually.HoldsAsync(
            () => Count(requestId, correlationId) >= count,
            timeout,
            () => $"{Count(requestId, correlationId)} of {count} TrackRequest commands for {requestId} / {correlationId} were consumed.");

    Task IConsumeObserver.PreConsume<T>(ConsumeContext<T> context) => Task.CompletedTask;

    Task IConsumeObserver.PostConsume<T>(ConsumeContext<T> context)
    {
        if (context.Message is TrackRequest command)
        {
            _handled.Enqueue((command, false));
        }

        return Task.CompletedTask;
    }

    Task IConsumeObserver.ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
    {
        if (context.Message is TrackRequest command)
        {
            _handled.Enqueue((command, true));
        }

        return Task.CompletedTask;
    }
}
