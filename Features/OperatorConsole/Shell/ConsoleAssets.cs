using System.Collections.Frozen;

namespace OfferHub.Lite.Features.OperatorConsole.Shell;

/// <summary>The console's stylesheet and script, embedded in the binary and served from memory.</summary>
public static class ConsoleAssets
{
    private static readonly FrozenDictionary<string, (byte[] Bytes, string ContentType)> Files = new Dictionary<string, (byte[], string)>
    {
        ["console.css"] = (Read("console.css"), "text/css; charset=utf-8"),
        ["console.js"] = (Read("console.js"), "text/javascript; charset=utf-8"),
    }.ToFrozenDictionary();

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapConsole(ConsoleAccess.Public).MapGet("/assets/{name}", (string name, HttpContext http) =>
        {
            if (!Files.TryGetValue(name, out var file))
            {
                return ConsolePages.Problem(http, 404, "Not found", "There is no such console file.");
            }

            http.Response.Headers.CacheControl = "public, max-age=300";
            return Results.Bytes(file.Bytes, file.ContentType);
        });

    private static byte[] Read(string name)
    {
        using var stream = typeof(ConsoleAssets).Assembly.GetManifestResourceStream("console/" + name)
            ?? throw new InvalidOperationException($"The console asset {name} is not embedded.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
