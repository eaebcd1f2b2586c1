using System.ComponentModel.DataAnnotations;

namespace Bria.StatusBridge.Hosting;

/// <summary>The message bus (section <c>Bus</c>; the broker is <c>ConnectionStrings:RabbitMq</c>).</summary>
public sealed class BusOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Bus";

    /// <summary><c>InMemory</c> (default) or <c>RabbitMq</c>. A RabbitMQ deployment never falls back to memory.</summary>
    public BusTransport Transport { get; set; } = BusTransport.InMemory;

    /// <summary>The amqp URI, from <c>ConnectionStrings:RabbitMq</c>.</summary>
    public Uri? RabbitMqUri { get; set; }

    /// <summary>How long start-up waits for the broker before the service fails to start.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
