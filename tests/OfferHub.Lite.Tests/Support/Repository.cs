namespace OfferHub.Lite.Tests.Support;

/// <summary>The source tree the tests were built from (the folder holding OfferHub.Lite.csproj).</summary>
public static class Repository
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OfferHub.Lite.csproj")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("OfferHub.Lite.csproj not found above " + AppContext.BaseDirectory);
    }

    /// <summary>A test that needs a tool the machine lacks is skipped with the reason, or fails
    /// under CI=true, where everything must run.</summary>
    public static void RequireTool(bool available, string reason)
    {
        Assert.False(!available && Environment.GetEnvironmentVariable("CI") == "true", "CI must run this test: " + reason);
        Skip.If(!available, "SKIPPED: " + reason);
    }
}
