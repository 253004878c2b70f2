namespace Kindling.Functions.Model;

/// <summary>GetAccountSettings result.</summary>
public sealed record AccountSettings(AccountLimit AccountLimit, AccountUsage AccountUsage);

/// <summary>The account's limits.</summary>
public sealed record AccountLimit(long TotalCodeSize, long CodeSizeUnzipped, long CodeSizeZipped, int ConcurrentExecutions, int UnreservedConcurrentExecutions);

/// <summary>The account's usage.</summary>
public sealed record AccountUsage(long TotalCodeSize, long FunctionCount);
