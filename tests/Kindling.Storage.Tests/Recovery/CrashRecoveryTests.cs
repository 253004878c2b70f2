using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using Kindling.Storage.Code;
using Kindling.Storage.Encryption;
using Kindling.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Kindling.Storage.Tests.Recovery;

/// <summary>
/// Kill -9 in the middle of writes: a child process writes to both stores and prints each write the store
/// acknowledged; after SIGKILL every printed write must be readable and the database must be intact.
/// </summary>
public sealed class CrashRecoveryTests : IDisposable
{
    private const int Rounds = 3;

    private const int SigKillExitCode = 128 + 9;

    private readonly TestDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Stores_ProcessKilledMidWrite_KeepEveryAcknowledgedWrite()
    {
        var acknowledgedMetadata = 0L;
        var acknowledgedCode = new List<CodeObject>();

        for (var round = 1; round <= Rounds; round++)
        {
            var acknowledged = await RunUntilKilledAsync(round, minimumMetadata: 50, minimumCode: 5);
            acknowledgedMetadata = Math.Max(acknowledgedMetadata, acknowledged.Metadata.DefaultIfEmpty().Max());
            acknowledgedCode.AddRange(acknowledged.Code);

            await VerifyAsync(acknowledgedMetadata, acknowledgedCode);
        }
    }

    private async Task<(List<long> Metadata, List<CodeObject> Code)> RunUntilKilledAsync(int round, int minimumMetadata, int minimumCode)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CrashToolPath());
        start.ArgumentList.Add(_directory.Path);
        start.ArgumentList.Add(round.ToString(CultureInfo.InvariantCulture));

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        var metadata = new List<long>();
        var code = new List<CodeObject>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (metadata.Count < minimumMetadata || code.Count < minimumCode)
            {
                var line = await process.StandardOutput.ReadLineAsync(deadline.Token)
                    ?? throw new InvalidOperationException($"The crash tool exited early ({process.ExitCode}): {await errors}");
                Record(line, metadata, code);
            }
        }
        finally
        {
            process.Kill(entireProcessTree: false);
        }

        // Lines written before the kill are acknowledged writes too.
        while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
        {
            Record(line, metadata, code);
        }

        await process.WaitForExitAsync(deadline.Token);
        Assert.Equal(SigKillExitCode, process.ExitCode);
        return (metadata, code);
    }

    private async Task VerifyAsync(long acknowledgedMetadata, List<CodeObject> acknowledgedCode)
    {
        var databasePath = Path.Combine(_directory.Path, "kindling.db");
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check;";
            Assert.Equal("ok", command.ExecuteScalar());
        }

        await using (var metadata = await SqliteMetadataStore.OpenAsync(databasePath, CancellationToken.None))
        {
            // Batches are atomic: the counter equals the number of items, and no acknowledged batch is missing.
            var counter = (await metadata.GetAsync("crash", "counter", "", CancellationToken.None))!;
            var items = await metadata.QueryAsync("crash", "items", CancellationToken.None);
            Assert.InRange(counter.Version, acknowledgedMetadata, acknowledgedMetadata + 1);
            Assert.Equal(counter.Version.ToString(CultureInfo.InvariantCulture), counter.Json);
            Assert.Equal(
                Enumerable.Range(1, (int)counter.Version).Select(i => i.ToString(CultureInfo.InvariantCulture)),
                items.Select(item => item.Json));
        }

        var store = new ChunkedCodeStore(Path.Combine(_directory.Path, "code"), MasterKey.LoadOrCreate(_directory.Path));
        Assert.Empty(Directory.GetFiles(Path.Combine(_directory.Path, "code", "tmp")));
        foreach (var expected in acknowledgedCode)
        {
            var content = await store.ReadAsync(expected.Id, CancellationToken.None);
            Assert.Equal(expected.Size, content.Length);
            Assert.Equal(expected.Sha256Base64, Convert.ToBase64String(SHA256.HashData(content)));
        }
    }

    private static void Record(string line, List<long> metadata, List<CodeObject> code)
    {
        // Only complete lines count; each ends with ';' so a line cut by the kill cannot pass for a shorter one.
        if (!line.EndsWith(';'))
        {
            return;
        }

        var parts = line.TrimEnd(';').Split(' ');
        switch (parts[0])
        {
            case "M":
                metadata.Add(long.Parse(parts[1], CultureInfo.InvariantCulture));
                break;
            case "C":
                code.Add(new CodeObject(parts[1], parts[2], long.Parse(parts[3], CultureInfo.InvariantCulture)));
                break;
        }
    }

    private static string CrashToolPath()
    {
        var path = typeof(CrashRecoveryTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "CrashToolPath").Value!;
        Assert.True(File.Exists(path), $"The crash tool was not built at {path}.");
        return path;
    }
}
