using Bria.StatusBridge.Polling;

namespace Bria.StatusBridge.Tests.Polling;

public sealed class BudgetExhaustedTimeTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Many_held_back_steps_in_one_period_count_its_duration_not_the_steps()
    {
        var time = new BudgetExhaustedTime();

        // 31 loop iterations inside the same 3 s without budget: 3 s, not 31.
        for (var step = 0; step < 31; step++)
        {
            time.Step(exhausted: true, Start.AddMilliseconds(step * 100));
        }

        time.Step(exhausted: false, Start.AddSeconds(3));

        Assert.Equal(TimeSpan.FromSeconds(3), time.Total(Start.AddSeconds(10)));
    }

    [Fact]
    public void A_period_still_going_on_counts_up_to_now_and_steps_with_budget_add_nothing()
    {
        var time = new BudgetExhaustedTime();

        time.Step(exhausted: false, Start);
        time.Step(exhausted: false, Start.AddSeconds(5));
        Assert.Equal(TimeSpan.Zero, time.Total(Start.AddSeconds(6)));

        time.Step(exhausted: true, Start.AddSeconds(6));
        Assert.Equal(TimeSpan.FromSeconds(1.5), time.Total(Start.AddSeconds(7.5)));
        time.Step(exhausted: false, Start.AddSeconds(8));
        time.Step(exhausted: true, Start.AddSeconds(20));
        time.Step(exhausted: false, Start.AddSeconds(21));

        Assert.Equal(TimeSpan.FromSeconds(3), time.Total(Start.AddSeconds(60)));
    }
}
