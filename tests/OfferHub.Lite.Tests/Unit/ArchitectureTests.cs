using System.Text.RegularExpressions;
using OfferHub.Lite.Tests.Support;

namespace OfferHub.Lite.Tests.Unit;

/// <summary>The floors of docs/architecture.md, read from the sources: Infrastructure names no
/// slice and no host, Features never name the host, and no folder depends on itself through
/// others. A folder is Host, Features/&lt;Area&gt; or Infrastructure/&lt;Folder&gt;.</summary>
public sealed partial class ArchitectureTests
{
    private static readonly Lazy<Dictionary<string, HashSet<string>>> Graph = new(Read);

    [Fact]
    public void Infrastructure_names_no_feature_and_no_host()
    {
        var upward = Edges().Where(e => e.From.StartsWith("Infrastructure/", StringComparison.Ordinal)
                                        && (e.To == "Host" || e.To.StartsWith("Features/", StringComparison.Ordinal)));
        Assert.Empty(upward.Select(e => $"{e.From} -> {e.To}"));
    }

    [Fact]
    public void Features_never_name_the_host()
    {
        Assert.Empty(Edges().Where(e => e.From.StartsWith("Features/", StringComparison.Ordinal) && e.To == "Host").Select(e => $"{e.From} -> {e.To}"));
    }

    [Fact]
    public void No_folder_reaches_itself_through_others()
    {
        var graph = Graph.Value;
        var loops = graph.Keys.Order(StringComparer.Ordinal)
            .Select(folder => PathBack(graph, folder))
            .OfType<List<string>>()
            .Select(path => string.Join(" -> ", path));
        Assert.Empty(loops);
    }

    [Fact]
    public void The_reader_sees_the_references_it_checks()
    {
        // Guards the checks above against reading nothing: the host wires slices and mechanisms.
        var graph = Graph.Value;
        Assert.Contains("Features/Orders", graph["Host"]);
        Assert.Contains("Infrastructure/Database", graph["Host"]);
        Assert.Contains("Infrastructure/Money", graph["Features/Orders"]);
        Assert.Contains("Infrastructure/Database", graph["Infrastructure/Idempotency"]);
        Assert.Contains("Infrastructure/Primitives", graph["Infrastructure/Events"]);
    }

    /// <summary>The shortest way from a folder back to itself (breadth first), or null when there is none.</summary>
    private static List<string>? PathBack(Dictionary<string, HashSet<string>> graph, string start)
    {
        var cameFrom = new Dictionary<string, string>();
        var queue = new Queue<string>([start]);
        while (queue.TryDequeue(out var folder))
        {
            foreach (var next in graph.GetValueOrDefault(folder) ?? [])
            {
                if (next == start)
                {
                    var path = new List<string> { start };
                    for (var step = folder; step != start; step = cameFrom[step])
                    {
                        path.Insert(1, step);
                    }

                    path.Add(start);
                    return path;
                }

                if (cameFrom.TryAdd(next, folder))
                {
                    queue.Enqueue(next);
                }
            }
        }

        return null;
    }

    private static IEnumerable<(string From, string To)> Edges() =>
        Graph.Value.SelectMany(pair => pair.Value.Select(to => (pair.Key, to)));

    private static Dictionary<string, HashSet<string>> Read()
    {
        var folders = new Dictionary<string, HashSet<string>>
        {
            ["Features"] = Subfolders("Features"),
            ["Infrastructure"] = Subfolders("Infrastructure"),
        };
        var graph = new Dictionary<string, HashSet<string>>();
        foreach (var top in new[] { "Host", "Features", "Infrastructure" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Repository.Root, top), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(Repository.Root, file).Replace('\\', '/').Split('/');
                var from = FolderOf(relative);
                var code = LineComment().Replace(File.ReadAllText(file), string.Empty);
                var targets = graph.TryGetValue(from, out var known) ? known : graph[from] = [];
                foreach (Match reference in Qualified().Matches(code))
                {
                    targets.Add(Target(reference.Groups[1].Value, reference.Groups[2].Value, folders));
                }

                // Inside OfferHub.Lite.Infrastructure a sibling folder can be named without the prefix (Database.Db).
                if (relative[0] == "Infrastructure")
                {
                    foreach (var sibling in folders["Infrastructure"].Where(s => Regex.IsMatch(code, $@"(?<![\w.]){s}\.[A-Z]")))
                    {
                        targets.Add("Infrastructure/" + sibling);
                    }
                }

                targets.Remove(from);
            }
        }

        return graph;
    }

    private static string FolderOf(string[] relative) =>
        relative[0] == "Host" || relative.Length < 3 ? relative[0] : relative[0] + "/" + relative[1];

    private static string Target(string top, string sub, Dictionary<string, HashSet<string>> folders) =>
        top == "Host" || !folders[top].Contains(sub) ? top : top + "/" + sub;

    private static HashSet<string> Subfolders(string top) =>
        Directory.EnumerateDirectories(Path.Combine(Repository.Root, top)).Select(Path.GetFileName).OfType<string>().ToHashSet();

    [GeneratedRegex(@"(?<![\w.])(?:OfferHub\.Lite\.)?(Features|Infrastructure|Host)\.(\w+)")]
    private static partial Regex Qualified();

    [GeneratedRegex(@"//[^\n]*")]
    private static partial Regex LineComment();
}
