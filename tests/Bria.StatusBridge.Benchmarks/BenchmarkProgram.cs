using Bria.StatusBridge.Benchmarks.Infrastructure;
using Bria.StatusBridge.Benchmarks.Scenarios;

namespace Bria.StatusBridge.Benchmarks;

/// <summary>Entry point of the benchmark scenarios; the smoke tests call it in-process.</summary>
public static class BenchmarkProgram
{
    /// <summary>The scenario names, in the order of the issue.</summary>
    public static IReadOnlyList<string> Scenarios { get; } = ["lag-vs-budget", "poll-throughput", "scale", "intake", "webhook-throughput", "status-streams", "fast-path"];

    /// <summary>Runs one scenario and returns the process exit code; the report lands under <c>--out</c>
    /// (default <c>artifacts/benchmarks</c>).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            await output.WriteLineAsync(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        if (args[0] == ChildBridge.ServeCommand)
        {
            return await ChildBridge.ServeAsync(cancellationToken);
        }

        ScenarioOptions options;
        try
        {
            options = ScenarioOptions.Parse(args);
        }
        catch (ArgumentException exception)
        {
            await output.WriteLineAsync(exception.Message);
            return 2;
        }

        IScenario? scenario = options.Scenario switch
        {
            "lag-vs-budget" => new LagVsBudgetScenario(),
            "poll-throughput" => new PollThroughputScenario(),
            "scale" => new ScaleScenario(),
            "intake" => new IntakeScenario(),
            "webhook-throughput" => new WebhookThroughputScenario(),
            "status-streams" => new StatusStreamsScenario(),
            "fast-path" => new FastPathScenario(),
            _ => null,
        };
        if (scenario is null)
        {
            await output.WriteLineAsync($"Unknown scenario '{options.Scenario}'.\n\n{Usage}");
            return 2;
        }

        var progress = new Progress(output, options.Scenario);
        var report = new Report(options.Scenario, "dotnet run -c Release --project tests/Bria.StatusBridge.Benchmarks -- " + string.Join(' ', args));
        try
        {
            await scenario.RunAsync(options, report, progress, cancellationToken);
        }
        catch (ScenarioUnavailableException exception)
        {
            await output.WriteLineAsync($"{options.Scenario}: {exception.Message}");
            return 3;
        }

        foreach (var table in report.Tables)
        {
            await output.WriteLineAsync(table.ToConsole());
        }

        var (json, markdown) = await report.WriteAsync(options.OutputDirectory, cancellationToken);
        await output.WriteLineAsync($"Report: {markdown}\nData:   {json}");
        return 0;
    }

    private const string Usage = """
        Usage: dotnet run -c Release --project tests/Bria.StatusBridge.Benchmarks -- <scenario> [options]

        Scenarios:
          lag-vs-budget       notification lag and status calls per job: the bridge vs the official client's 1 s
                              poll (unbudgeted) vs a round-robin poller held to the same budget
                              --workload uniform|long-tail|mix --rate 5 (or --load 3: x the budget) --arrival-seconds 240
                              --budget 1000 --time-scale 4 --store sqlite|postgres
                              uniform: --min-duration 3 --max-duration 20
                              long-tail: --median 6 --sigma 1 --min-duration 0.5 --max-duration 300
                              mix: --video-share 0.3 --video-min 40 --video-max 180 (images as uniform)
                              --schedule learned|fixed (default learned: the bridge's default) --warm-up 1|0
                              --image-ceiling SECONDS --image-growth FACTOR --image-interval SECONDS
          poll-throughput     status calls/s through the scheduler (SQLite, PostgreSQL) vs raw HttpClient
                              --jobs 1000 --concurrency 32 --seconds 15 --warmup 3
          scale               claim time, idle cost and peak memory with N tracked requests in PostgreSQL
                              --sizes 10000,100000,1000000 --claims 30 --idle-seconds 20 --burst 2000
                              --parts sizes,history; history: --history 10000000 --history-tracking 100000
                              --recent 100000 --rounds 200 --batch-claims 1 --batch-reads 5 --steady-seconds 120
                              --finish-rate 20 --steady-busy 5000 --steady-polls-per-minute 6000
          intake              TrackRequest consumed+stored per second from RabbitMQ vs a no-op consumer
                              --messages 20000
          webhook-throughput  signed deliveries/s to a loopback receiver vs raw HttpClient POSTs; lag while one
                              endpoint hangs  --deliveries 2000 --concurrency 32 --lag-rate 10 --lag-seconds 30
                              --timeout 15 --store sqlite,postgres
          status-streams      open SSE streams on one replica (memory per stream, idle CPU) and the lag from an
                              outcome stored by another replica (its commit) to the event  --streams 5000
                              --outcomes 500 --idle-seconds 20 --poll-interval 10
          fast-path           Bria's push as the fast path: lag and status calls per job with (a) every push
                              delivered, (b) --loss 0.1 of pushes lost, beside the polling-only bridge, same budget
                              --rate 5 --arrival-seconds 120 --min-duration 3 --max-duration 20 --budget 1000
                              --time-scale 1 --store sqlite|postgres

        Common: --out DIR (default artifacts/benchmarks), --smoke (tiny sizes, seconds), --seed N
        Servers: STATUSBRIDGE_BENCH_POSTGRES (Npgsql connection string, role with CREATEDB) and
                 STATUSBRIDGE_BENCH_RABBITMQ (amqp URI; rabbitmqctl on this machine makes a private vhost);
                 the STATUSBRIDGE_TEST_* variables of scripts/test.sh are used when these are unset.
        """;
}
