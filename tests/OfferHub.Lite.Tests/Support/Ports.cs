using System.Net;
using System.Net.Sockets;

namespace OfferHub.Lite.Tests.Support;

/// <summary>Loopback ports for the servers the tests start.</summary>
public static class Ports
{
    /// <summary>A port nothing listens on right now (the OS picks it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
