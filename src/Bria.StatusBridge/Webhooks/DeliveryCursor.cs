using System.Globalization;
using System.Text;

namespace Bria.StatusBridge.Webhooks;

/// <summary>Where a page of deliveries ends: (created_at, delivery_id), sent to clients as an opaque token.</summary>
internal sealed record DeliveryCursor(long CreatedAt, string DeliveryId)
{
    public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{CreatedAt}|{DeliveryId}"))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string token, out DeliveryCursor? cursor)
    {
        cursor = null;
        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split('|', 2);
            if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var at) && parts[1].Length > 0)
            {
                cursor = new DeliveryCursor(at, parts[1]);
                return true;
            }
        }
        catch (FormatException)
        {
            // Falls through: not a cursor this API issued.
        }

        return false;
    }
}
