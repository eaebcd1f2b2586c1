using Bria.StatusBridge.Benchmarks.Infrastructure;
using Bria.StatusBridge.Benchmarks.Scenarios;
using Bria.StatusBridge.Simulator.Jobs;

namespace Bria.StatusBridge.Tests.Benchmarks;

public sealed class LagVsBudgetCsvTests
{
    [Fact]
    public void A_strategy_named_with_a_comma_is_quoted_so_that_every_line_has_the_headers_nine_fields_the_last_the_look_ages()
    {
        var job = new LagArrival("lag-000001", 300.198, 12.628, JobKind.Image);
        var results = new[]
        {
            new LagVsBudgetScenario.StrategyResult("bridge", new Latencies(), new Latencies(), [4], 4, 1, 0) { Jobs = [new(job, 0.606, 0.6, 4) { Looks = [3.1, 6.25, 9.5, 13.234] }] },
            new LagVsBudgetScenario.StrategyResult("round-robin 1 s, budgeted", new Latencies(), new Latencies(), [4], 4, 1, 0) { Jobs = [new(job, 0.682, null, 4)] },
            new LagVsBudgetScenario.StrategyResult("say \"fast\"", new Latencies(), new Latencies(), [1], 1, 1, 0) { Jobs = [new(job, null, null, 1)] },
        };

        var lines = LagVsBudgetScenario.JobsCsv(results).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
            [
                "strategy,request_id,kind,arrived_s,duration_s,lag_s,answer_lag_s,calls,look_ages_s",
                "bridge,lag-000001,image,300.198,12.628,0.606,0.6,4,3.1 6.25 9.5 13.234",
                "\"round-robin 1 s, budgeted\",lag-000001,image,300.198,12.628,0.682,,4,",
                "\"say \"\"fast\"\"\",lag-000001,image,300.198,12.628,,,1,",
            ],
            lines);
    }
}
