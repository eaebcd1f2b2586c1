using System.Collections.Concurrent;
using System.Net;
using Bria.StatusBridge.Hosting;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Tests.Fakes;
using Bria.StatusBridge.Webhooks;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StandardWebhooks;

namespace Bria.StatusBridge.Tests.Webhooks;

/// <summary>The webhook dispatch step on a fake clock, a real SQLite store in a temporary file, and receivers that
/// answer from the test through the named webhook client.</summary>
public sealed class WebhookDispatcherTests : IAsyncLifetime
{
    private const string PartnerId = "p-1";
    private const string Payload = """{"type":"request.completed","data":{"request_id":"r-1"}}""";

    // Whole seconds: the store keeps milliseconds and the webhook-timestamp header whole seconds. Near the real time:
    // the StandardWebhooks verifier refuses timestamps far from its own clock.
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(30);

    private readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"webhook-dispatcher-{Guid.NewGuid():N}.db");
    private readonly FakeTimeProvider _time = new(Start);
    private readonly Receiver _receiver = new();
    private readonly WebhookWakeSignal _signal = new();
    private readonly string _secret = WebhookSecret.Generate();
    private readonly WebhookOptions _options;
    private readonly List<WebhookDispatcher> _dispatchers = [];
    private DbConnectionFactory _connections = null!;
    private ServiceProvider _clients = null!;
    private DeliveryStore _deliveries = null!;

    public WebhookDispatcherTests() => _options = new WebhookOptions
    {
        SigningSecret = _secret,
        // No jitter: the next attempt's time is exact.
        RetrySchedule = [TimeSpan.Zero, RetryDelay, TimeSpan.FromMinutes(5)],
        Jitter = 0,
        MaxIdleDelay = TimeSpan.FromMinutes(1),
        MaxConcurrencyPerDestination = 1,
    };

    public async Task InitializeAsync()
    {
        _connections = new DbConnectionFactory(Options.Create(new PersistenceOptions
        {
            Provider = StoreProvider.Sqlite,
            ConnectionString = $"Data Source={_databasePath}",
        }));
        await new MigrationRunner(_connections, _time, NullLogger<MigrationRunner>.Instance).MigrateAsync(CancellationToken.None);
        _deliveries = new DeliveryStore(_connections);

        var services = new ServiceCollection();
        services.AddHttpClient(WebhookSender.ClientName).ConfigurePrimaryHttpMessageHandler(() => _receiver);
        _clients = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        // Let no attempt write to the store after it is gone, even when a test failed midway.
        _receiver.ReleaseAll();
        foreach (var dispatcher in _dispatchers)
        {
            await AttemptsSettledAsync(dispatcher, inFlight: 0);
        }

        await _clients.DisposeAsync();
        await _connections.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var path in new[] { _databasePath, _databasePath + "-wal", _databasePath + "-shm" })
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_due_delivery_is_posted_once_signed_and_marked_delivered_on_2xx()
    {
        var dispatcher = Dispatcher();
        await QueueAsync("msg_delivered", "https://receiver-a.example/hook", Start);

        await dispatcher.RunOnceAsync(CancellationToken.None);
        await AttemptsSettledAsync(dispatcher, inFlight: 0);
        await dispatcher.RunOnceAsync(CancellationToken.None);
        await AttemptsSettledAsync(dispatcher, inFlight: 0);

        var request = Assert.Single(_receiver.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal(new Uri("https://receiver-a.example/hook"), request.Url);
        Assert.Equal("msg_delivered", request.Headers["webhook-id"]);
        Assert.Equal(Payload, request.Body);
        new StandardWebhook(_secret).Verify(request.Body, request.Headers);

        var stored = await StoredAsync("msg_delivered");
        Assert.Equal(nameof(DeliveryState.Delivered), stored.State);
        Assert.Equal(1, stored.Attempts);
        Assert.Equal(200, stored.LastStatus);
        Assert.Equal(Start, stored.DeliveredAt);
        var attempt = Assert.Single(await _deliveries.ListAttemptsAsync("msg_delivered", CancellationToken.None));
        Assert.Equal(200, attempt.StatusCode);
    }

    [Fact]
    public async Task A_500_schedules_the_next_attempt_by_the_retry_policy_and_it_is_sent_when_the_clock_gets_there()
    {
        var dispatcher = Dispatcher();
        _receiver.Answer("receiver-a.example", HttpStatusCode.InternalServerError, HttpStatusCode.OK);
        await QueueAsync("msg_retried", "https://receiver-a.example/hook", Start);

        await dispatcher.RunOnceAsync(CancellationToken.None);
        await AttemptsSettledAsync(dispatcher, inFlight: 0);

        var failed = await StoredAsync("msg_retried");
        Assert.Equal(nameof(DeliveryState.Pending), failed.State);
        Assert.Equal(1, failed.Attempts);
        Assert.Equal(500, failed.LastStatus);
        Assert.Equal(Start + RetryDelay, failed.NextAttemptAt);
        // Not due yet: the dispatcher sleeps until the retry is.
        Assert.Equal(RetryDelay, await dispatcher.RunOnceAsync(CancellationToken.None));

        _time.Advance(RetryDelay - TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(1), await dispatcher.RunOnceAsync(CancellationToken.None));
        Assert.Single(_receiver.Requests);

        _time.Advance(TimeSpan.FromSeconds(1));
        await dispatcher.RunOnceAsync(CancellationToken.None);
        await AttemptsSettledAsync(dispatcher, inFlight: 0);

        Assert.Equal(["msg_retried", "msg_retried"], _receiver.Requests.Select(r => r.Headers["webhook-id"].ToString()));
        var delivered = await StoredAsync("msg_retried");
        Assert.Equal(nameof(DeliveryState.Delivered), delivered.State);
        Assert.Equal(2, delivered.Attempts);
        Assert.Equal(Start + RetryDelay, delivered.DeliveredAt);
        var attempts = await _deliveries.ListAttemptsAsync("msg_retried", CancellationToken.None);
        Assert.Equal([(1, 500), (2, 200)], attempts.Select(a => (a.Attempt, a.StatusCode ?? 0)));
    }

    [Fact]
    public async Task With_nothing_due_it_sleeps_until_the_next_due_delivery_at_most_its_idle_delay()
    {
        var dispatcher = Dispatcher();
        Assert.Equal(_options.MaxIdleDelay, await dispatcher.RunOnceAsync(CancellationToken.None));

        await QueueAsync("msg_later", "https://receiver-a.example/hook", Start + _options.MaxIdleDelay + TimeSpan.FromMinutes(10));
        Assert.Equal(_options.MaxIdleDelay, await dispatcher.RunOnceAsync(CancellationToken.None));

        await QueueAsync("msg_soon", "https://receiver-b.example/hook", Start + TimeSpan.FromMilliseconds(400));
        Assert.Equal(TimeSpan.FromMilliseconds(400), await dispatcher.RunOnceAsync(CancellationToken.None));

        Assert.Empty(_receiver.Requests);
        Assert.Equal(0, dispatcher.InFlight);
    }

    [Fact]
    public async Task A_hanging_destination_holds_only_its_own_slots_and_another_destination_is_delivered()
    {
        var dispatcher = Dispatcher();
        var hanging = _receiver.Hang("receiver-slow.example");
        await QueueAsync("msg_slow_1", "https://receiver-slow.example/hook", Start);
        await QueueAsync("msg_slow_2", "https://receiver-slow.example/hook", Start);
        await QueueAsync("msg_fast", "https://receiver-fast.example/hook", Start);

        await dispatcher.RunOnceAsync(CancellationToken.None);
        await hanging.Entered;
        await AttemptsSettledAsync(dispatcher, inFlight: 1);

        Assert.Equal(nameof(DeliveryState.Delivered), (await StoredAsync("msg_fast")).State);
        // The slow destination is at its bound of one: its second message is due, yet not claimed.
        Assert.Equal(_options.MaxIdleDelay, await dispatcher.RunOnceAsync(CancellationToken.None));
        Assert.Equal(1, dispatcher.InFlight);
        var waiting = await StoredAsync("msg_slow_2");
        Assert.Equal(nameof(DeliveryState.Pending), waiting.State);
        Assert.Equal(0, waiting.Attempts);
        Assert.Equal(
            ["msg_fast", "msg_slow_1"],
            _receiver.Requests.Select(r => r.Headers["webhook-id"].ToString()).Order(StringComparer.Ordinal));

        // Once the slow receiver answers, its slot frees and the second message goes.
        hanging.Release();
        await AttemptsSettledAsync(dispatcher, inFlight: 0);
        await dispatcher.RunOnceAsync(CancellationToken.None);
        await AttemptsSettledAsync(dispatcher, inFlight: 0);

        Assert.Equal(nameof(DeliveryState.Delivered), (await StoredAsync("msg_slow_1")).State);
        Assert.Equal(nameof(DeliveryState.Delivered), (await StoredAsync("msg_slow_2")).State);
        Assert.Equal(3, _receiver.Requests.Count);
    }

    [Fact]
    public async Task A_graceful_stop_waits_for_the_attempts_in_flight_and_hands_back_every_delivery_lease()
    {
        var dispatcher = Dispatcher();
        var hanging = _receiver.Hang("receiver-slow.example");
        await QueueAsync("msg_in_flight", "https://receiver-slow.example/hook", Start);
        await QueueAsync("msg_claimed", "https://receiver-other.example/hook", Start);
        using var stopping = new CancellationTokenSource();
        await dispatcher.RunOnceAsync(stopping.Token);
        await hanging.Entered;
        await AttemptsSettledAsync(dispatcher, inFlight: 1);
        // A lease the replica took without an attempt running for it (claimed just before the stop).
        await QueueAsync("msg_leased", "https://receiver-third.example/hook", Start);
        Assert.Single(await _deliveries.ClaimDueAsync("replica-1", 10, 10, _time.GetUtcNow(), _options.LeaseDuration, CancellationToken.None));
        Assert.Equal(2, await LeasesHeldAsync("replica-1"));

        await stopping.CancelAsync();
        await dispatcher.StoppedAsync(CancellationToken.None);

        Assert.Equal(0, dispatcher.InFlight);
        Assert.Equal(0, await LeasesHeldAsync("replica-1"));
        var interrupted = await StoredAsync("msg_in_flight");
        Assert.Equal(nameof(DeliveryState.Pending), interrupted.State);
        Assert.Equal(0, interrupted.Attempts);

        // The next start sends both at once, long before the lease would have run out.
        _receiver.ReleaseAll();
        var next = Dispatcher();
        await next.RunOnceAsync(CancellationToken.None);
        await AttemptsSettledAsync(next, inFlight: 0);
        Assert.Equal(nameof(DeliveryState.Delivered), (await StoredAsync("msg_in_flight")).State);
        Assert.Equal(nameof(DeliveryState.Delivered), (await StoredAsync("msg_leased")).State);
    }

    [Fact]
    public async Task Releasing_a_replicas_delivery_leases_leaves_another_replicas_and_finished_deliveries_alone()
    {
        await QueueAsync("msg_mine", "https://receiver-a.example/hook", Start);
        await QueueAsync("msg_theirs", "https://receiver-b.example/hook", Start);
        var now = _time.GetUtcNow();
        Assert.Single(await _deliveries.ClaimDueAsync("replica-1", 1, 10, now, _options.LeaseDuration, CancellationToken.None));
        Assert.Single(await _deliveries.ClaimDueAsync("replica-2", 1, 10, now, _options.LeaseDuration, CancellationToken.None));

        Assert.Equal(1, await _deliveries.ReleaseLeasesAsync("replica-1", CancellationToken.None));

        Assert.Equal(0, await LeasesHeldAsync("replica-1"));
        Assert.Equal(1, await LeasesHeldAsync("replica-2"));
        Assert.Equal(0, await _deliveries.ReleaseLeasesAsync("replica-1", CancellationToken.None));
    }

    private async Task<long> LeasesHeldAsync(string owner)
    {
        await using var connection = await _connections.OpenAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM webhook_deliveries WHERE state = 'Pending' AND lease_owner = $owner";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "$owner";
        parameter.Value = owner;
        command.Parameters.Add(parameter);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private async Task QueueAsync(string deliveryId, string url, DateTimeOffset dueAt)
    {
        var uri = new Uri(url);
        await using var transaction = await StoreTransaction.BeginAsync(_connections, CancellationToken.None);
        await _deliveries.InsertAsync(
            transaction,
            [new NewDelivery(deliveryId, null, PartnerId, url, $"url:{uri.Scheme}://{uri.Authority}", "r-1", "s-1", WebhookEventTypes.RequestCompleted, Payload)],
            dueAt.ToUnixTimeMilliseconds(),
            CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }

    private async Task<DeliveryRecord> StoredAsync(string deliveryId) =>
        await _deliveries.GetDeliveryAsync(PartnerId, deliveryId, CancellationToken.None)
        ?? throw new InvalidOperationException($"Delivery {deliveryId} is not in the store.");

    /// <summary>Waits, on the real clock and through the signal every finishing attempt sends, until only
    /// <paramref name="inFlight"/> attempts remain.</summary>
    private async Task AttemptsSettledAsync(WebhookDispatcher dispatcher, int inFlight)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (dispatcher.InFlight > inFlight)
        {
            await _signal.WaitAsync(TimeSpan.FromSeconds(1), TimeProvider.System, deadline.Token);
        }
    }

    private WebhookDispatcher Dispatcher()
    {
        var options = Options.Create(_options);
        var endpoints = new EndpointStore(_connections, options);
        var dispatcher = new WebhookDispatcher(
            _deliveries,
            new DeliveryAttemptRecorder(_connections, _deliveries, endpoints, new OutboxStore(_connections), new OutboxWakeSignal()),
            new WebhookSender(
                _clients.GetRequiredService<IHttpClientFactory>(),
                new WebhookUrlPolicy(new WebhookAddressPolicy([]), options),
                options,
                _time),
            new DeliveryRetryPolicy(options),
            _signal,
            new ReplicaIdentity(Options.Create(new PollingOptions { ReplicaId = "replica-1" })),
            TestMetrics.Create(new FakeTrackingStore(), new FakeOutboxStore(), _time),
            options,
            _time,
            NullLogger<WebhookDispatcher>.Instance);
        _dispatchers.Add(dispatcher);
        return dispatcher;
    }

    /// <summary>A request as it reached a receiver.</summary>
    private sealed record Seen(HttpMethod Method, Uri? Url, HeaderDictionary Headers, string Body);

    /// <summary>A receiver that hangs until the test releases it; <see cref="Entered"/> completes once a request
    /// reached it.</summary>
    private sealed class Hanging
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public void Release() => _released.TrySetResult();

        public async Task<HttpResponseMessage> AnswerAsync(CancellationToken cancellationToken)
        {
            _entered.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }

    /// <summary>Every receiver host at the bottom of the named webhook client: answers 200 unless told otherwise,
    /// and records what reached it.</summary>
    private sealed class Receiver : HttpMessageHandler
    {
        private readonly ConcurrentDictionary<string, ConcurrentQueue<HttpStatusCode>> _answers = new(StringComparer.OrdinalIgnoreCase);
        private readonly ConcurrentDictionary<string, Hanging> _hanging = new(StringComparer.OrdinalIgnoreCase);
        public ConcurrentQueue<Seen> Requests { get; } = new();

        /// <summary>The statuses the host answers with, in order; 200 after them.</summary>
        public void Answer(string host, params HttpStatusCode[] statuses) => _answers[host] = new ConcurrentQueue<HttpStatusCode>(statuses);

        public Hanging Hang(string host) => _hanging[host] = new Hanging();

        public void ReleaseAll()
        {
            foreach (var hanging in _hanging.Values)
            {
                hanging.Release();
            }
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var headers = new HeaderDictionary();
            foreach (var header in request.Headers)
            {
                headers[header.Key] = string.Join(',', header.Value);
            }

            var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
            Requests.Enqueue(new Seen(request.Method, request.RequestUri, headers, body));

            var host = request.RequestUri!.Host;
            if (_hanging.TryGetValue(host, out var hanging))
            {
                return await hanging.AnswerAsync(cancellationToken);
            }

            var status = _answers.TryGetValue(host, out var statuses) && statuses.TryDequeue(out var next) ? next : HttpStatusCode.OK;
            return new HttpResponseMessage(status) { RequestMessage = request };
        }
    }
}
