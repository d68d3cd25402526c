using OfferHub.Lite.Infrastructure.StateMachines;

namespace OfferHub.Lite.Infrastructure.OpenApi;

/// <summary>What the CLR types do not say about the values on the wire: which statuses a field
/// can hold, which id prefix a field carries. The features that own those values contribute them
/// through <see cref="IDescribeApiSchemas"/>; <see cref="OpenApiSetup"/> writes them into the
/// document, and fails when a fact names a schema or field the document does not have.</summary>
public sealed class ApiSchemaFacts
{
    /// <summary>Id prefix by field name, wherever the field appears ("buyer_id" → "usr").</summary>
    public Dictionary<string, string> IdFields { get; } = new(StringComparer.Ordinal);

    /// <summary>Id prefix of a schema's own "id" field, by schema id.</summary>
    public Dictionary<string, string> ResourceIds { get; } = new(StringComparer.Ordinal);

    /// <summary>Allowed values by schema id and field name.</summary>
    public Dictionary<(string Schema, string Field), IReadOnlyList<string>> Enums { get; } = [];

    /// <summary>Required fields of records nested in request bodies, by schema id.</summary>
    public Dictionary<string, IReadOnlyList<string>> Required { get; } = new(StringComparer.Ordinal);

    /// <summary>Schemas whose amount fields are signed (ledger entries).</summary>
    public HashSet<string> SignedAmounts { get; } = new(StringComparer.Ordinal);

    public void Enum(string schema, string field, IEnumerable<string> values) => Enums[(schema, field)] = [.. values.Distinct()];

    /// <summary>The states a machine's transition table can put a resource in.</summary>
    public void Enum(string schema, string field, StateMachine machine) =>
        Enum(schema, field, machine.Transitions.SelectMany(t => new[] { t.From, t.To }));

    public static ApiSchemaFacts Discover()
    {
        var facts = new ApiSchemaFacts();
        var describers = typeof(ApiSchemaFacts).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IDescribeApiSchemas).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal);
        foreach (var type in describers)
        {
            ((IDescribeApiSchemas)Activator.CreateInstance(type)!).Describe(facts);
        }

        return facts;
    }
}

/// <summary>Implemented by a feature that knows the value sets of its fields.</summary>
public interface IDescribeApiSchemas
{
    void Describe(ApiSchemaFacts facts);
}
