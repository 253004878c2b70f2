using Kindling.Functions.Arns;
using Kindling.Functions.Model;

namespace Kindling.Functions.Services;

/// <summary>GetAccountSettings with real usage numbers.</summary>
public sealed class AccountService(FunctionStore functions, ConcurrencyService concurrency, AccountLimits limits)
{
    /// <summary>GetAccountSettings: limits, and usage summed over every stored version and layer version.</summary>
    public async Task<AccountSettings> GetAsync(CancellationToken cancellationToken)
    {
        long functionCount = 0;
        long codeSize = 0;
        await foreach (var (key, record) in functions.Documents.ScanAllAsync<FunctionVersionRecord>(Tables.Function, cancellationToken))
        {
            functionCount += key.Sort == "$LATEST" ? 1 : 0;
            codeSize += record.Configuration.CodeSize;
        }

        await foreach (var (_, record) in functions.Documents.ScanAllAsync<LayerVersionRecord>(Tables.Layer, cancellationToken))
        {
            codeSize += record.Layer.Content.CodeSize;
        }

        var reserved = await concurrency.TotalReservedAsync(null, cancellationToken);
        return new AccountSettings(
            new AccountLimit(limits.TotalCodeSize, limits.CodeSizeUnzipped, limits.CodeSizeZipped, limits.ConcurrentExecutions, limits.ConcurrentExecutions - reserved),
            new AccountUsage(codeSize, functionCount));
    }
}
