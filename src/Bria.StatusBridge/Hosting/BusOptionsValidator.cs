using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Hosting;

/// <summary>Refuses a RabbitMQ transport without a usable broker URI, so that a deployment never runs on the
/// in-memory bus by mistake.</summary>
internal sealed class BusOptionsValidator : IValidateOptions<BusOptions>
{
    public ValidateOptionsResult Validate(string? name, BusOptions options)
    {
        if (options.Transport != BusTransport.RabbitMq)
        {
            return ValidateOptionsResult.Success;
        }

        return options.RabbitMqUri is { IsAbsoluteUri: true } uri && (uri.Scheme == "amqp" || uri.Scheme == "amqps")
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("ConnectionStrings__RabbitMq must be an amqp:// or amqps:// URI, such as amqp://user:password@rabbitmq:5672/, because Bus__Transport is RabbitMq.");
    }
}
