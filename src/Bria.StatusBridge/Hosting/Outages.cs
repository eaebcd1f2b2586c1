using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Hosting;

/// <summary>The conditions the bridge watches in its dependencies; readiness, intake and polling read them.</summary>
internal sealed class Outages
{
    public const string StoreName = "store";
    public const string BusName = "bus";
    public const string BriaName = "bria";
    public const string BriaCredentialsName = "bria_credentials";

    /// <summary>A Bria outage ends with a success this long after the last failed call: a Bria that fails every other
    /// call is one outage, not one per call.</summary>
    public static readonly TimeSpan BriaSettle = TimeSpan.FromSeconds(5);

    public Outages(IOptions<OutageOptions> options, OutageMetrics metrics, TimeProvider time, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger<Outages>();
        Outage Create(string name, TimeSpan settle = default)
        {
            var outage = new Outage(name, options.Value, metrics, time, logger, settle);
            metrics.Track(name, () => outage.Active);
            return outage;
        }

        Store = Create(StoreName);
        Bus = Create(BusName);
        Bria = Create(BriaName, BriaSettle);
        BriaCredentials = Create(BriaCredentialsName);
    }

    /// <summary>The database cannot be reached (connection refused, timeouts, the server shutting down).</summary>
    public Outage Store { get; }

    /// <summary>The broker connection of the <c>track-request</c> endpoint is down.</summary>
    public Outage Bus { get; }

    /// <summary>Bria answers 5xx, times out or cannot be connected to.</summary>
    public Outage Bria { get; }

    /// <summary>Bria refuses the configured token (401 or 403).</summary>
    public Outage BriaCredentials { get; }
}
