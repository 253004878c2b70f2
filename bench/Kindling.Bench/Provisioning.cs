using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Kindling.Bench;

/// <summary>PublishVersion and PutProvisionedConcurrencyConfig, waiting for READY; says why when a server cannot.</summary>
internal static class Provisioning
{
    public static async Task<string> PublishVersionAsync(LambdaClient client, string function, CancellationToken cancellationToken)
    {
        using var published = JsonDocument.Parse(await client.SendAsync(HttpMethod.Post, $"/2015-03-31/functions/{function}/versions", "{}"u8.ToArray(), HttpStatusCode.Created, cancellationToken));
        return published.RootElement.GetProperty("Version").GetString()!;
    }

    /// <summary>Asks for <paramref name="count"/> provisioned environments and waits for READY; null when ready, else the reason it is not.</summary>
    public static async Task<string?> ProvisionAsync(LambdaClient client, string function, string version, int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = $"/2019-09-30/functions/{function}/provisioned-concurrency?Qualifier={version}";
        try
        {
            await client.SendAsync(HttpMethod.Put, path, JsonSerializer.SerializeToUtf8Bytes(new { ProvisionedConcurrentExecutions = count }), HttpStatusCode.Accepted, cancellationToken);
        }
        catch (InvalidOperationException exception)
        {
            return "PutProvisionedConcurrencyConfig failed: " + exception.Message;
        }

        var clock = Stopwatch.StartNew();
        var status = "";
        while (clock.Elapsed < timeout)
        {
            using var config = JsonDocument.Parse(await client.SendAsync(HttpMethod.Get, path, null, HttpStatusCode.OK, cancellationToken));
            status = config.RootElement.GetProperty("Status").GetString() ?? "";
            if (status == "READY")
            {
                return null;
            }

            if (status == "FAILED")
            {
                return "provisioned concurrency FAILED: " + config.RootElement.GetRawText();
            }

            await Task.Delay(50, cancellationToken);
        }

        return $"provisioned concurrency still {status} after {timeout.TotalSeconds:F0} s";
    }

    /// <summary>Removes the configuration; a server without the feature may refuse, which changes nothing here.</summary>
    public static async Task TryDeleteAsync(LambdaClient client, string function, string version, CancellationToken cancellationToken)
    {
        try
        {
            await client.SendAsync(HttpMethod.Delete, $"/2019-09-30/functions/{function}/provisioned-concurrency?Qualifier={version}", null, HttpStatusCode.NoContent, cancellationToken);
        }
        catch (InvalidOperationException exception)
        {
            Console.Error.WriteLine("    DeleteProvisionedConcurrencyConfig: " + exception.Message);
        }
    }
}
