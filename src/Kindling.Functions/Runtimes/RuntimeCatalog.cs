namespace Kindling.Functions.Runtimes;

/// <summary>
/// The runtime identifiers Lambda knows, and which of them this host can run. An identifier Lambda does not
/// know is a validation error; one it knows that this host cannot run is an InvalidParameterValueException.
/// </summary>
public sealed class RuntimeCatalog
{
    /// <summary>Every value of Lambda's Runtime enum.</summary>
    public static IReadOnlyList<string> LambdaRuntimes { get; } =
    [
        "nodejs", "nodejs4.3", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x",
        "java8", "java8.al2", "java11", "python2.7", "python3.6", "python3.7", "python3.8", "python3.9",
        "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet6", "dotnet8", "nodejs4.3-edge",
        "go1.x", "ruby2.5", "ruby2.7", "provided", "provided.al2", "nodejs18.x", "python3.10", "java17", "ruby3.2",
        "ruby3.3", "ruby3.4", "python3.11", "nodejs20.x", "provided.al2023", "python3.12", "java21", "python3.13",
        "nodejs22.x", "nodejs24.x", "python3.14", "java25", "dotnet10",
    ];

    private readonly HashSet<string> _available;

    /// <summary>Creates the catalog with the runtimes this host can run.</summary>
    public RuntimeCatalog(IEnumerable<string> available)
    {
        _available = new HashSet<string>(available, StringComparer.Ordinal);
        Available = [.. _available.Order(StringComparer.Ordinal)];
    }

    /// <summary>The runtimes this host can run, sorted.</summary>
    public IReadOnlyList<string> Available { get; }

    /// <summary>The custom runtimes, which need only a <c>bootstrap</c> executable.</summary>
    public static IReadOnlyList<string> Custom { get; } = ["provided", "provided.al2", "provided.al2023"];

    /// <summary>True when the host can run the runtime.</summary>
    public bool IsAvailable(string runtime) => _available.Contains(runtime);

    /// <summary>True for <c>provided</c>, <c>provided.al2</c>, <c>provided.al2023</c>.</summary>
    public static bool IsCustom(string runtime) => runtime.StartsWith("provided", StringComparison.Ordinal);
}
