namespace Bria.StatusBridge.Webhooks;

/// <summary>A signing secret with the one it replaced, which keeps signing until it expires (a rotation).</summary>
/// <param name="Current">The secret in force.</param>
/// <param name="Previous">The replaced secret, or null.</param>
/// <param name="PreviousExpiresAt">When <paramref name="Previous"/> stops signing.</param>
public sealed record SigningSecrets(string Current, string? Previous, DateTimeOffset? PreviousExpiresAt)
{
    /// <summary>The secrets that sign at <paramref name="now"/>: the current one, then the previous one while it lasts.</summary>
    public IReadOnlyList<string> ActiveAt(DateTimeOffset now) =>
        Previous is not null && PreviousExpiresAt is { } expires && now < expires && Previous != Current
            ? [Current, Previous]
            : [Current];

    /// <summary>Rotates to <paramref name="next"/> (a new random secret when null): the current one keeps signing
    /// for <paramref name="overlap"/>. A previous secret still in its overlap is dropped.</summary>
    public SigningSecrets Rotate(string? next, DateTimeOffset now, TimeSpan overlap)
    {
        next ??= WebhookSecret.Generate();
        if (!WebhookSecret.IsValid(next))
        {
            throw new ArgumentException("Not a whsec_ secret of 24 to 64 bytes.", nameof(next));
        }

        return overlap <= TimeSpan.Zero ? new SigningSecrets(next, null, null) : new SigningSecrets(next, Current, now + overlap);
    }
}
