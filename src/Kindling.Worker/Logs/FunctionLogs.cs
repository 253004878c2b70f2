namespace Kindling.Worker.Logs;

/// <summary>Opens the log stream writers of new execution environments.</summary>
internal sealed class FunctionLogs
{
    private readonly string _logsDirectory;
    private readonly TimeProvider _time;

    public FunctionLogs(WorkerDirectories directories, TimeProvider time)
    {
        _logsDirectory = directories.Logs;
        _time = time;
    }

    /// <summary>Creates (or appends to) the stream of one environment.</summary>
    public LogStreamWriter Open(string functionName, string streamName)
    {
        var path = LogPaths.StreamFile(_logsDirectory, functionName, streamName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new LogStreamWriter(path, streamName, _time);
    }
}
