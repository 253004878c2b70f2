using Kindling.Functions.Arns;
using Kindling.Functions.Model;
using Kindling.Storage.Metadata;

namespace Kindling.Functions.Services;

/// <summary>GetAccountSettings with real usage numbers.</summary>
public sealed class AccountService(FunctionStore functions, ConcurrencyService concurrency, AccountLimits limits)
{
    /// <summary>GetAccountSettings: limits, and usage summed over every stored version and layer version.</summary>
    public async Task<AccountSettings> GetAsync(CancellationToken cancellationToken)
    {
        long functionCount = 0;
        long codeSize = 0;
        ItemKey? after = null;
        while (true)
        {
            var batch = await functions.Documents.ScanAsync<FunctionVersionRecord>(Tables.Function, after, 500, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var (key, record) in batch)
            {
                functionCount += key.Sort == "$LATEST" ? 1 : 0;
                codeSize += record.Configuration.CodeSize;
                after = key;
            }
        }

        after = null;
        while (true)
        {
            var batch = await functions.Documents.ScanAsync<LayerVersionRecord>(Tables.Layer, after, 500, cancellationToken);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var (key, record) in batch)
            {
                codeSize += record.Layer.Content.CodeSize;
                after = key;
            }
        }

        var reserved = await concurrency.TotalReservedAsync(null, cancellationToken);
        return new AccountSettings(
            new AccountLimit(limits.TotalCodeSize, limits.CodeSizeUnzipped, limits.CodeSizeZipped, limits.ConcurrentExecutions, limits.ConcurrentExecutions - reserved),
            new AccountUsage(codeSize, functionCount));
    }
}
