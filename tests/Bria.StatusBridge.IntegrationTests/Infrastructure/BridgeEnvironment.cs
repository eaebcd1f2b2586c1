using System.Globalization;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Simulator;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>One test class's world: a simulator, a real bridge on its own RabbitMQ virtual host and its own store, a
/// separate MassTransit bus standing in for other services (it collects the outcome events), and a raw AMQP channel.
/// Started by the first test of the class, stopped after the last; tests keep apart by their request ids.</summary>
public abstract class BridgeEnvironment : IAsyncLifetime
{
    /// <summary>Consecutive UNKNOWN answers the bridge tolerates in these tests.</summary>
    public const int UnknownTolerance = 3;

    /// <summary>How long the bridge tolerates 404 answers in these tests.</summary>
    public static readonly TimeSpan NotFoundGrace = TimeSpan.FromMilliseconds(500);

    private readonly Lock _startLock = new();
    private Task? _starting;
    private SimulatorHost? _simulator;
    private BridgeHost? _bridge;
    private IBusControl? _services;
    private OutcomeCollector? _outcomes;
    private RawCommandChannel? _raw;

    /// <summary>The Bria simulator the bridge polls.</summary>
    public SimulatorHost Simulator => _simulator ?? throw NotStarted();

    /// <summary>The bridge under test.</summary>
    public BridgeHost Bridge => _bridge ?? throw NotStarted();

    /// <summary>Another service's bus on the same virtual host: publishes enveloped commands.</summary>
    public IBus Services => _services ?? throw NotStarted();

    /// <summary>Every outcome event published on the virtual host, as the other service received it.</summary>
    public OutcomeCollector Outcomes => _outcomes ?? throw NotStarted();

    /// <summary>Every <c>TrackRequest</c> the bridge handled.</summary>
    public ConsumedCommands Commands { get; } = new();

    /// <summary>Plain AMQP access to the command queue and its error queue.</summary>
    public RawCommandChannel Raw => _raw ?? throw NotStarted();

    /// <summary>The bridge's tracking store, to check what was stored.</summary>
    internal ITrackingStore Store => Bridge.Services.GetRequiredService<ITrackingStore>();

    /// <summary>The bridge's outbox, to check that nothing waits to be published.</summary>
    internal IOutboxStore Outbox => Bridge.Services.GetRequiredService<IOutboxStore>();

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>Starts everything once; later calls wait for that start (and see its failure, if it failed).</summary>
    public Task StartAsync(RabbitMqFixture rabbit)
    {
        ArgumentNullException.ThrowIfNull(rabbit);
        lock (_startLock)
        {
            return _starting ??= StartCoreAsync(rabbit);
        }
    }

    public async Task DisposeAsync()
    {
        if (_raw is not null)
        {
            await _raw.DisposeAsync();
        }

        if (_outcomes is not null)
        {
            await _outcomes.DisposeAsync();
        }

        if (_services is not null)
        {
            await _services.StopAsync(CancellationToken.None);
        }

        if (_bridge is not null)
        {
            await _bridge.DisposeAsync();
        }

        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        await DisposeStoreAsync();
    }

    private async Task StartCoreAsync(RabbitMqFixture rabbit)
    {
        var virtualHost = await rabbit.CreateVirtualHostAsync();
        _simulator = await SimulatorHost.StartAsync();
        var settings = BridgeHost.FastSettings(_simulator.BaseUrl, _simulator.ApiToken);
        foreach (var (key, value) in await CreateStoreAsync())
        {
            settings[key] = value;
        }

        settings["Bus:Transport"] = "RabbitMq";
        settings["ConnectionStrings:RabbitMq"] = virtualHost.ToString();
        settings["Polling:UnknownTolerance"] = UnknownTolerance.ToString(CultureInfo.InvariantCulture);
        settings["Polling:NotFoundGrace"] = NotFoundGrace.ToString("c", CultureInfo.InvariantCulture);
        Configure(settings);
        Settings = settings;
        _bridge = await BridgeHost.StartAsync(settings);
        _bridge.Bus.ConnectConsumeObserver(Commands);

        _services = MassTransit.Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(virtualHost));
        using var startTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _services.StartAsync(startTimeout.Token);
        _outcomes = await OutcomeCollector.ConnectAsync(_services);
        _raw = await RawCommandChannel.ConnectAsync(virtualHost);
    }

    /// <summary>The settings the bridge started with: a second replica starts with the same.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; private set; } = new Dictionary<string, string?>();

    /// <summary>Adds to or changes the bridge's settings before it starts.</summary>
    protected virtual void Configure(IDictionary<string, string?> settings)
    {
    }

    /// <summary>Creates an empty store and answers the bridge settings that point at it.</summary>
    protected abstract Task<IReadOnlyDictionary<string, string?>> CreateStoreAsync();

    /// <summary>Removes the store, after the bridge stopped.</summary>
    protected abstract Task DisposeStoreAsync();

    private static InvalidOperationException NotStarted() =>
        new("The environment is not started: call StartAsync from the test class's InitializeAsync.");
}
