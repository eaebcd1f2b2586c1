using System.Text.Json.Serialization;

namespace Bria.StatusBridge.Contracts;

/// <summary>Why a tracked request ended without a result.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<FailureReason>))]
public enum FailureReason
{
    /// <summary>Bria reported the job as <c>ERROR</c>; <see cref="RequestFailed.Error"/> holds Bria's error object.</summary>
    Error = 0,

    /// <summary>Bria kept answering <c>UNKNOWN</c> (an internal error on Bria's side) past the configured tolerance.</summary>
    Unknown = 1,

    /// <summary>Bria answered 404: the request id does not exist or has expired.</summary>
    NotFound = 2,

    /// <summary>No terminal state was observed before the request's deadline.</summary>
    TimedOut = 3,

    /// <summary>The owner of the tracking cancelled it.</summary>
    Cancelled = 4,
}
