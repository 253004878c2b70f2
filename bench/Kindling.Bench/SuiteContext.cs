namespace Kindling.Bench;

/// <summary>What every suite scenario is given: where things are, how long to measure, and where chart data goes.</summary>
internal sealed class SuiteContext(string repositoryRoot, string binary, bool quick, ServerFeatures features)
{
    public string RepositoryRoot { get; } = repositoryRoot;
    public bool Quick { get; } = quick;
    public ServerFeatures Features { get; } = features;
    public FunctionCode Code { get; } = new(repositoryRoot);
    public ChartData Charts { get; } = new();

    /// <summary>Configuration recorded with the results: what each scenario was asked to do.</summary>
    public Dictionary<string, object> Configuration { get; } = [];

    /// <summary>The key numbers the summary compares with the budgets of issue 7, by name.</summary>
    public Dictionary<string, double> Key { get; } = [];

    public Task<ServerProcess> StartServerAsync(CancellationToken cancellationToken) => ServerProcess.StartAsync(binary, Features.Arguments, cancellationToken);
}
