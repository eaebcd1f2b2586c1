using Bria.StatusBridge.Api.Models;
using Bria.StatusBridge.Contracts;
using Bria.StatusBridge.Partners;
using Bria.StatusBridge.Persistence;
using Bria.StatusBridge.Polling;
using Bria.StatusBridge.Polling.Learning;
using Bria.StatusBridge.Tracking;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Api;

/// <summary>The operator's read-only view of learned poll schedules. Needs the operator key (<c>Admin:ApiKey</c>).</summary>
internal static class PollSchedulesApi
{
    public static RouteGroupBuilder MapPollSchedulesApi(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/v1/admin")
            .RequireAuthorization(PartnerAuthentication.AdminPolicy)
            .WithTags("Admin");
        admin.MapGet("/poll-schedules", ListAsync).WithName("ListPollSchedules")
            .WithSummary("List poll schedules")
            .WithDescription("Per endpoint kind: its mode (learned or fixed), whether the learned schedule is in use (learned mode and at least min_jobs finished jobs seen), the shared duration estimate every replica learns from (quantiles and the decayed histogram), the polling window it gives (the ages between which a running job is looked at once per planned interval), the planned interval (planned_interval_seconds: min_interval_seconds while the budget sustains it, the interval that spends 99% of what it sustains while it does not), the share of all status calls lately taken by looks that came before their planned time with calls the planned looks left unspent (early_share, every replica's), and the lag target the budget allows this replica right now (lag_target_seconds: the planned interval plus how late the queue of due polls runs). Read-only.");
        return admin;
    }

    private static async Task<Ok<ListResponse<PollScheduleResponse>>> ListAsync(
        IDurationEstimateStore store, LearnedPollSchedule schedule, PollPace pace, IOptions<PollingOptions> options, CancellationToken cancellationToken)
    {
        var polling = options.Value;
        var stored = (await store.ReadAsync(cancellationToken)).ToDictionary(e => e.Kind);
        var lagTarget = pace.Interval.TotalSeconds;
        var planned = pace.Planned.TotalSeconds;
        var earlyShare = pace.EarlyShare;
        var items = Enum.GetValues<EndpointKind>().Select(kind =>
        {
            var estimate = stored.GetValueOrDefault(kind);
            var histogram = estimate?.Histogram ?? DurationHistogram.Empty;
            var bins = Enumerable.Range(0, DurationHistogram.Bins)
                .Where(i => histogram.Weight(i) > 0)
                .Select(i => new DurationBinResponse(Round(DurationHistogram.UpperEdge(i)), Round(histogram.Weight(i))))
                .ToList();
            var durations = histogram.Total > 0
                ? new DurationQuantilesResponse(
                    Round(histogram.Quantile(0.1)), Round(histogram.Quantile(0.5)), Round(histogram.Quantile(0.9)),
                    Round(histogram.Quantile(0.95)), Round(histogram.Quantile(0.99)))
                : null;
            return new PollScheduleResponse(
                WireNames.Of(kind),
                polling.For(kind).Mode,
                schedule.Active(kind),
                histogram.Observations,
                polling.Learning.MinJobs,
                Round(histogram.Total),
                durations,
                histogram.Total > 0 && schedule.SkipShareOf(kind) is var skipShare && histogram.PollingWindow(skipShare) is var (from, to)
                    ? new PollingWindowResponse(Round(from), Round(to), Round(skipShare))
                    : null,
                Round(lagTarget),
                Round(planned),
                Round(earlyShare),
                polling.Learning.MinInterval.TotalSeconds,
                estimate?.UpdatedAt,
                bins);
        }).ToList();
        return TypedResults.Ok(new ListResponse<PollScheduleResponse>(items));
    }

    private static double Round(double value) => Math.Round(value, 3);
}
