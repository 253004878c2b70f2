using Kindling.Queues.Engine;
using Kindling.Queues.Sqlite;
using Kindling.Queues.Sqs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kindling.Queues;

/// <summary>Registers the queue engine and the SQS-compatible API.</summary>
public static class QueuesServiceCollectionExtensions
{
    /// <summary>Adds <see cref="IQueueEngine"/> (SQLite, in its own file) and <see cref="SqsApi"/>.</summary>
    public static IServiceCollection AddKindlingQueues(this IServiceCollection services, QueueEngineOptions options)
    {
        services.AddSingleton(sp => new SqliteQueueEngine(options, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SqliteQueueEngine>>()));
        services.AddSingleton<IQueueEngine>(sp => sp.GetRequiredService<SqliteQueueEngine>());
        services.AddSingleton(sp => new SqsApi(
            new SqsOperations(sp.GetRequiredService<IQueueEngine>(), new QueueUrls(options.AccountId),
                sp.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None),
            sp.GetRequiredService<ILogger<SqsApi>>()));
        return services;
    }
}
