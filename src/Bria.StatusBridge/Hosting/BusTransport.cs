namespace Bria.StatusBridge.Hosting;

/// <summary>The message bus the bridge runs on.</summary>
public enum BusTransport
{
    /// <summary>In-process only: the embedded default, for one instance and for trying the bridge out.</summary>
    InMemory = 0,

    /// <summary>RabbitMQ at <c>ConnectionStrings:RabbitMq</c>: production.</summary>
    RabbitMq = 1,
}
