using Microsoft.Extensions.Options;

namespace Bria.StatusBridge.Polling;

/// <summary>Validates <see cref="PollingOptions"/>, schedules included, at start-up.</summary>
[OptionsValidator]
internal sealed partial class PollingOptionsValidator : IValidateOptions<PollingOptions>;
