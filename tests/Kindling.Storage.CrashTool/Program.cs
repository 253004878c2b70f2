using System.Globalization;
using Kindling.Storage.Code;
using Kindling.Storage.Encryption;
using Kindling.Storage.Metadata;
using Kindling.Storage.Sqlite;

// Started by the storage crash test: writes to both stores until it is killed, and prints one line per write only
// after the store acknowledged it. The test then checks that every printed write survived the SIGKILL.
//   usage: Kindling.Storage.CrashTool <data directory> <round>
if (args.Length != 2 || !int.TryParse(args[1], CultureInfo.InvariantCulture, out var round))
{
    await Console.Error.WriteLineAsync("usage: Kindling.Storage.CrashTool <data directory> <round>");
    return 2;
}

var dataDirectory = args[0];
var code = new ChunkedCodeStore(Path.Combine(dataDirectory, "code"), MasterKey.LoadOrCreate(dataDirectory));
await using var metadata = await SqliteMetadataStore.OpenAsync(Path.Combine(dataDirectory, "kindling.db"), CancellationToken.None);
Console.WriteLine("ready;");
await Task.WhenAll(Task.Run(() => WriteMetadataAsync(metadata)), Task.Run(() => PutCodeAsync(code, round)));
return 0;

// Each batch adds one item and moves the counter to the item's number: the items and the counter must agree.
static async Task WriteMetadataAsync(IMetadataStore metadata)
{
    var counter = await metadata.GetAsync("crash", "counter", "", CancellationToken.None);
    for (var i = (counter?.Version ?? 0) + 1; ; i++)
    {
        var number = i.ToString(CultureInfo.InvariantCulture);
        await metadata.WriteAsync(
            [
                new PutItem("crash", "items", i.ToString("D8", CultureInfo.InvariantCulture), number, ExpectedVersion: 0),
                new PutItem("crash", "counter", "", number, ExpectedVersion: i - 1),
            ],
            CancellationToken.None);
        Console.WriteLine($"M {number};");
    }
}

// Objects of random sizes up to ~1.5 MB; every third one starts with a chunk shared with other objects, so the
// deduplicated path (chunk already on disk) is also cut by the kill.
static async Task PutCodeAsync(ICodeStore code, int round)
{
    var shared = new byte[ChunkedCodeStore.ChunkSize];
    new Random(round).NextBytes(shared);
    for (var j = 1; ; j++)
    {
        var random = new Random((round * 1_000_000) + j);
        var content = new byte[random.Next(0, 3 * ChunkedCodeStore.ChunkSize)];
        random.NextBytes(content);
        if (j % 3 == 0 && content.Length > shared.Length)
        {
            shared.CopyTo(content, 0);
        }

        var stored = await code.PutAsync(content, CancellationToken.None);
        Console.WriteLine($"C {stored.Id} {stored.Sha256Base64} {stored.Size.ToString(CultureInfo.InvariantCulture)};");
    }
}
