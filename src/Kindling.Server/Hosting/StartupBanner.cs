using Kindling.Api.Authentication;
using Kindling.Server.Configuration;

namespace Kindling.Server.Hosting;

/// <summary>What a person needs once the server is up: the endpoint, the credentials, the next command.</summary>
internal static class StartupBanner
{
    public static void Print(string address, ServerOptions options, AccessKey key, bool generated, string? credentialsPath, IReadOnlyList<string> runtimes, TimeSpan elapsed)
    {
        var origin = generated ? $"generated, saved to {credentialsPath}" : credentialsPath is null ? "from the command line" : $"from {credentialsPath}";
        Console.Out.Write($"""
            Kindling is ready at {address} (started in {elapsed.TotalMilliseconds:F0} ms)
              region {options.Region}, account {options.AccountId}, data in {options.DataDirectory}
              credentials {origin}
              runtimes {string.Join(", ", runtimes)}

            Point the AWS CLI or an SDK at it:
              export AWS_ACCESS_KEY_ID={key.AccessKeyId} AWS_SECRET_ACCESS_KEY={key.SecretAccessKey} AWS_DEFAULT_REGION={options.Region}
              aws lambda list-functions --endpoint-url {address}

            """);
        Console.Out.Flush();
    }
}
