using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Bria.StatusBridge.Persistence;

/// <summary>Tells a store that cannot be reached from a statement that failed on its own merits.</summary>
internal static class StoreFailures
{
    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_PROTOCOL.
    private static readonly int[] SqliteUnavailable = [5, 6, 10, 13, 14, 15];

    /// <summary>True when <paramref name="exception"/> (or an exception inside it) says the store is unreachable: the
    /// same statement would work once the store is back, so the work waits instead of failing.</summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres:
                    // 08 connection exception, 53 insufficient resources, 57 operator intervention (shutdown,
                    // cannot connect now), 58 system error. Anything else is the statement's own fault.
                    return postgres.SqlState.Length >= 2 && postgres.SqlState[..2] is "08" or "53" or "57" or "58";
                case NpgsqlException:
                    // Not a server answer: the connection failed, broke or timed out.
                    return true;
                case SqliteException sqlite:
                    return SqliteUnavailable.Contains(sqlite.SqliteErrorCode);
                case SocketException or TimeoutException or IOException:
                    return true;
                default:
                    break;
            }
        }

        return false;
    }

    /// <summary>A description that names the exception type only: driver messages can carry host and user names.</summary>
    public static string Describe(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is not null && inner is not (SocketException or PostgresException or SqliteException))
        {
            inner = inner.InnerException;
        }

        return inner == exception ? exception.GetType().Name : $"{exception.GetType().Name}: {inner.GetType().Name}";
    }
}
