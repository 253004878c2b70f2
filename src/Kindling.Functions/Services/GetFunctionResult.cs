using Kindling.Functions.Model;

namespace Kindling.Functions.Services;

/// <summary>What GetFunction returns before the API adds the code download location.</summary>
public sealed record GetFunctionResult(
    FunctionConfiguration Configuration,
    string CodeId,
    IReadOnlyDictionary<string, string>? Tags,
    int? ReservedConcurrentExecutions);
