using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace OfferHub.Lite.Infrastructure.Pipeline;

/// <summary>Finds null elements in the lists of a message (<c>"milestones": [null]</c>), in the
/// message itself and in the objects it carries, so that validators, which assume elements
/// exist, never see one: each is reported as a bad field instead.</summary>
public static class NullElements
{
    private const int MaxDepth = 8;

    private static readonly ConcurrentDictionary<Type, PropertyInfo[]> Properties = new();

    public static IReadOnlyList<string> Find(object message)
    {
        var found = new List<string>();
        Walk(message, string.Empty, 0, found);
        return found;
    }

    private static void Walk(object value, string path, int depth, List<string> found)
    {
        if (depth > MaxDepth || !IsOurs(value.GetType()))
        {
            return;
        }

        foreach (var property in Properties.GetOrAdd(value.GetType(), Readable))
        {
            var name = path + JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name);
            switch (property.GetValue(value))
            {
                case null or string:
                    break;
                case IEnumerable list:
                    var index = 0;
                    foreach (var element in list)
                    {
                        if (element is null)
                        {
                            found.Add($"{name}[{index}]");
                        }
                        else
                        {
                            Walk(element, $"{name}[{index}].", depth + 1, found);
                        }

                        index++;
                    }

                    break;
                case var nested:
                    Walk(nested, name + ".", depth + 1, found);
                    break;
            }
        }
    }

    // Only the request classes of this application are walked: framework values (JsonElement,
    // strings) and our value types (AmountText, whose getters assume a valid amount) hold none.
    private static bool IsOurs(Type type) => type.Assembly == typeof(NullElements).Assembly && type.IsClass;

    private static PropertyInfo[] Readable(Type type) =>
        [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.CanRead)];
}
