using System.Reflection;
using Carter;

namespace OfferHub.Lite.Infrastructure.Http;

/// <summary>Where Carter finds the endpoint modules: this assembly, named directly. Carter's default
/// catalog reads the dependency context (the .deps.json file), which a single-file binary lacks.</summary>
public sealed class CarterModules : DependencyContextAssemblyCatalog
{
    public override IReadOnlyCollection<Assembly> GetAssemblies() => [typeof(CarterModules).Assembly];
}
