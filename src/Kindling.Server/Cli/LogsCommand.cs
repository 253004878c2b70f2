using System.CommandLine;
using System.Globalization;
using Kindling.Worker;
using Kindling.Worker.Logs;

namespace Kindling.Server.Cli;

/// <summary>
/// <c>kindling logs FUNCTION [--follow]</c>: a function's log streams (START/END/REPORT and everything the
/// function wrote), merged in time order, like <c>aws logs tail</c>.
/// </summary>
internal static class LogsCommand
{
    private static readonly TimeSpan FollowInterval = TimeSpan.FromMilliseconds(250);

    public static Command Create()
    {
        var function = new Argument<string>("function") { Description = "The function's name" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new log events as they arrive" };
        var since = new Option<string>("--since") { Description = "Only events newer than this, e.g. 10m, 2h, 1d [default: all]" };
        var dataDir = new Option<string>("--data-dir") { Description = "The server's data directory [default: as kindling server]" };
        var command = new Command("logs", "Show a function's logs.") { function, follow, since, dataDir };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var directory = DataDirectory.Resolve(parse.GetValue(dataDir));
            DateTimeOffset? after = null;
            if (parse.GetValue(since) is { } text)
            {
                if (!TryParseAge(text, out var age))
                {
                    await Console.Error.WriteLineAsync($"kindling: --since '{text}' is not an age such as 30s, 10m, 2h or 1d.");
                    return 2;
                }

                after = DateTimeOffset.UtcNow - age;
            }

            var reader = new FunctionLogReader(new WorkerOptions { DataDirectory = directory });
            var name = parse.GetValue(function)!;
            var positions = new Dictionary<string, long>(StringComparer.Ordinal);
            var printed = await PrintNewAsync(reader, name, positions, after, cancellationToken);
            if (!parse.GetValue(follow))
            {
                if (printed == 0 && reader.ListStreams(name).Count == 0)
                {
                    await Console.Error.WriteLineAsync($"kindling: no logs for function {name} in {directory}.");
                }

                return 0;
            }

            using var timer = new PeriodicTimer(FollowInterval);
            try
            {
                while (await timer.WaitForNextTickAsync(cancellationToken))
                {
                    await PrintNewAsync(reader, name, positions, after, cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C ends --follow.
            }

            return 0;
        });
        return command;
    }

    private static async Task<int> PrintNewAsync(
        FunctionLogReader reader, string function, Dictionary<string, long> positions, DateTimeOffset? after, CancellationToken cancellationToken)
    {
        var batch = new List<(LogEvent Event, string Stream)>();
        foreach (var stream in reader.ListStreams(function))
        {
            var position = positions.GetValueOrDefault(stream.Name);
            while (true)
            {
                var result = await reader.ReadAsync(function, stream.Name, position, 1000, cancellationToken);
                batch.AddRange(result.Events.Where(e => after is null || e.Timestamp > after).Select(e => (e, stream.Name)));
                if (result.NextPosition == position)
                {
                    break;
                }

                position = result.NextPosition;
            }

            positions[stream.Name] = position;
        }

        foreach (var (logEvent, stream) in batch.OrderBy(b => b.Event.Timestamp))
        {
            Console.Out.Write(string.Create(CultureInfo.InvariantCulture,
                $"{logEvent.Timestamp:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {stream} {logEvent.Message.TrimEnd('\n')}\n"));
        }

        await Console.Out.FlushAsync(cancellationToken);
        return batch.Count;
    }

    private static bool TryParseAge(string text, out TimeSpan age)
    {
        age = default;
        if (text.Length < 2 || !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return false;
        }

        age = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(value),
            'm' => TimeSpan.FromMinutes(value),
            'h' => TimeSpan.FromHours(value),
            'd' => TimeSpan.FromDays(value),
            _ => TimeSpan.Zero,
        };
        return age > TimeSpan.Zero;
    }
}
