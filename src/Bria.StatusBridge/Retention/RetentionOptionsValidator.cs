using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Retention;

/// <summary>What the data annotations cannot say: answers are kept no longer than the attempts that hold them.</summary>
internal sealed class RetentionOptionsValidator : IValidateOptions<RetentionOptions>
{
    public ValidateOptionsResult Validate(string? name, RetentionOptions options) =>
        options.AttemptAnswers > options.Deliveries
            ? ValidateOptionsResult.Fail(
                $"Retention:AttemptAnswers ({options.AttemptAnswers}) is longer than Retention:Deliveries ({options.Deliveries}): "
                + "answers live on attempt rows, which go with their delivery. Set AttemptAnswers to at most Deliveries.")
            : ValidateOptionsResult.Success;
}
