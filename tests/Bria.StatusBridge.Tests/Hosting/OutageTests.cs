using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Tests.Upstream;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bria.StatusBridge.Tests.Hosting;

public sealed class OutageTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly CapturingLoggerProvider _logs = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly Outages _outages;

    public OutageTests()
    {
        var options = Options.Create(new OutageOptions { Reminder = TimeSpan.FromMinutes(5) });
        var loggers = LoggerFactory.Create(builder => builder.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace));
        _outages = new Outages(options, new OutageMetrics(_services.GetRequiredService<IMeterFactory>()), _time, loggers);
    }

    [Fact]
    public void A_thousand_failures_log_one_line_when_the_outage_begins_one_per_reminder_and_one_when_it_ends()
    {
        for (var i = 0; i < 1000; i++)
        {
            _outages.Store.Report("NpgsqlException");
            _time.Advance(TimeSpan.FromMilliseconds(500));
        }

        Assert.True(_outages.Store.Active);
        Assert.True(_outages.Store.Clear());
        Assert.False(_outages.Store.Active);

        // 500 s of failures: the begin, one reminder at 5 min, the end.
        Assert.Equal([1300, 1301, 1302], _logs.Entries.Select(e => e.EventId.Id));
        Assert.Equal(LogLevel.Error, _logs.Entries.First().Level);
        Assert.Contains("1000 failures", _logs.Entries.Last().Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Bria_failing_every_other_call_is_one_outage_that_ends_only_after_a_quiet_spell()
    {
        for (var i = 0; i < 20; i++)
        {
            _outages.Bria.Report("Request timed out");
            _time.Advance(TimeSpan.FromMilliseconds(200));
            Assert.False(_outages.Bria.Clear());
            _time.Advance(TimeSpan.FromMilliseconds(200));
        }

        _time.Advance(Outages.BriaSettle);
        Assert.True(_outages.Bria.Clear());
        Assert.Equal([1300, 1302], _logs.Entries.Select(e => e.EventId.Id));
    }

    [Fact]
    public void Clearing_a_dependency_that_works_logs_nothing()
    {
        Assert.False(_outages.BriaCredentials.Clear());
        Assert.Empty(_logs.Entries);
    }

    public void Dispose()
    {
        _services.Dispose();
        _logs.Dispose();
    }
}
