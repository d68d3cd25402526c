using System.Data.Common;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;

namespace OfferHub.Lite.Infrastructure.Configuration;

/// <summary>What can stop the server while it starts, each told in one line (the process then
/// exits 1): a bad setting, a port it cannot listen on, a database it cannot reach or migrate.</summary>
public static class StartupFailure
{
    public static string Describe(Exception failure) => failure switch
    {
        StartupConfigurationException => failure.Message,
        IOException { InnerException: AddressInUseException } => FirstLine(failure.Message) + " Another process listens there; stop it or choose another port with ASPNETCORE_URLS.",
        DbException or SocketException or TimeoutException => "cannot reach or migrate the database (DATABASE_URL): " + FirstLine(failure.Message),
        AggregateException { InnerException: { } inner } => Describe(inner),
        _ => FirstLine(failure.Message),
    };

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
