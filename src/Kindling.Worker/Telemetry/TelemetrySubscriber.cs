using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace Kindling.Worker.Telemetry;

/// <summary>
/// One extension's subscription: its buffer and its delivery loop. A batch goes out when it holds maxItems
/// events or maxBytes bytes, when timeoutMs has passed since its first event, or when the environment flushes
/// before freezing. HTTP destinations get a POST of a JSON array; TCP ones newline-separated events. Publishing
/// never blocks: past <see cref="MaxQueuedBytes"/> events are dropped and a platform.logsDropped event says so.
/// </summary>
internal sealed class TelemetrySubscriber : IAsyncDisposable
{
    /// <summary>Most bytes buffered for a subscriber that does not keep up.</summary>
    public const int MaxQueuedBytes = 4 * 1024 * 1024;

    private static readonly TimeSpan s_postTimeout = TimeSpan.FromSeconds(10);
    private static readonly MediaTypeHeaderValue s_json = new("application/json");

    private readonly Lock _lock = new();
    private readonly Queue<byte[]> _queue = new();
    private readonly HttpClient? _http;
    private readonly Func<int, CancellationToken, ValueTask<Socket>> _connect;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _environmentId;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private NetworkStream? _tcp;
    private long _queuedBytes;
    private long _firstQueued;
    private long _droppedRecords;
    private long _droppedBytes;
    private bool _flush;
    private bool _sending;

    public TelemetrySubscriber(
        string name, SubscriptionRequest request, Func<int, CancellationToken, ValueTask<Socket>> connect, TimeProvider time,
        ILogger logger, string environmentId)
    {
        Name = name;
        Request = request;
        _connect = connect;
        _time = time;
        _logger = logger;
        _environmentId = environmentId;
        _idle.TrySetResult();
        if (request.Protocol == "HTTP")
        {
            _http = new HttpClient(new SocketsHttpHandler
            {
                UseProxy = false,
                AllowAutoRedirect = false,
                ConnectCallback = async (context, cancellationToken) =>
                    new NetworkStream(await _connect(context.DnsEndPoint.Port, cancellationToken), ownsSocket: true),
            })
            { Timeout = Timeout.InfiniteTimeSpan };
        }

        _loop = RunAsync();
    }

    public string Name { get; }

    public SubscriptionRequest Request { get; }

    /// <summary>Whether this subscriber takes <paramref name="event"/>.</summary>
    public bool Accepts(TelemetryEvent @event) => (Request.Types & @event.Stream) != 0 && (Request.Api & @event.Apis) != 0;

    public void Enqueue(byte[] json)
    {
        lock (_lock)
        {
            if (_queuedBytes + json.Length > MaxQueuedBytes)
            {
                _droppedRecords++;
                _droppedBytes += json.Length;
                return;
            }

            if (_droppedRecords > 0)
            {
                var dropped = TelemetryRecords.LogsDropped(_time.GetUtcNow(), _droppedRecords, _droppedBytes);
                _droppedRecords = 0;
                _droppedBytes = 0;
                Add(dropped);
            }

            Add(json);
        }
    }

    /// <summary>Sends everything buffered now; completes once nothing is buffered or in flight.</summary>
    public Task FlushAsync()
    {
        lock (_lock)
        {
            if (_queue.Count == 0 && !_sending)
            {
                return Task.CompletedTask;
            }

            _flush = true;
            _wake.TrySetResult();
            return _idle.Task;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _http?.Dispose();
        _tcp?.Dispose();
        _stop.Dispose();
    }

    private void Add(byte[] json)
    {
        if (_queue.Count == 0)
        {
            _firstQueued = _time.GetTimestamp();
            if (_idle.Task.IsCompleted)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        _queue.Enqueue(json);
        _queuedBytes += json.Length;
        if (_queue.Count >= Request.MaxItems || _queuedBytes >= Request.MaxBytes || _queue.Count == 1)
        {
            _wake.TrySetResult();
        }
    }

    private async Task RunAsync()
    {
        await Task.Yield();
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            Task wake;
            TimeSpan wait;
            List<byte[]>? batch = null;
            lock (_lock)
            {
                if (_wake.Task.IsCompleted)
                {
                    _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                wake = _wake.Task;
                wait = Timeout.InfiniteTimeSpan;
                if (_queue.Count > 0)
                {
                    var due = TimeSpan.FromMilliseconds(Request.TimeoutMs) - _time.GetElapsedTime(_firstQueued);
                    if (_flush || due <= TimeSpan.Zero || _queue.Count >= Request.MaxItems || _queuedBytes >= Request.MaxBytes)
                    {
                        batch = TakeBatchLocked();
                        _sending = true;
                    }
                    else
                    {
                        wait = due;
                    }
                }
                else
                {
                    _flush = false;
                    _idle.TrySetResult();
                }
            }

            if (batch is not null)
            {
                await SendAsync(batch, token);
                lock (_lock)
                {
                    _sending = false;
                    if (_queue.Count == 0)
                    {
                        _flush = false;
                        _idle.TrySetResult();
                    }
                }

                continue;
            }

            await wake.WaitAsync(wait, _time, token).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private List<byte[]> TakeBatchLocked()
    {
        var batch = new List<byte[]>(Math.Min(_queue.Count, Request.MaxItems));
        long bytes = 0;
        while (_queue.Count > 0 && batch.Count < Request.MaxItems)
        {
            var next = _queue.Peek();
            if (batch.Count > 0 && bytes + next.Length > Request.MaxBytes)
            {
                break;
            }

            _queue.Dequeue();
            bytes += next.Length;
            batch.Add(next);
        }

        _queuedBytes -= bytes;
        if (_queue.Count > 0)
        {
            _firstQueued = _time.GetTimestamp();
        }

        return batch;
    }

    private async Task SendAsync(List<byte[]> batch, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_postTimeout);
        try
        {
            if (_http is not null)
            {
                var body = new byte[batch.Sum(e => e.Length + 1) + 1];
                var position = 0;
                body[position++] = (byte)'[';
                for (var i = 0; i < batch.Count; i++)
                {
                    if (i > 0)
                    {
                        body[position++] = (byte)',';
                    }

                    batch[i].CopyTo(body, position);
                    position += batch[i].Length;
                }

                body[position++] = (byte)']';
                using var content = new ByteArrayContent(body, 0, position);
                content.Headers.ContentType = s_json;
                using var response = await _http.PostAsync(Request.Destination, content, timeout.Token);
                await response.Content.CopyToAsync(Stream.Null, timeout.Token);
            }
            else
            {
                _tcp ??= new NetworkStream(await _connect(Request.Destination.Port, timeout.Token), ownsSocket: true);
                foreach (var item in batch)
                {
                    await _tcp.WriteAsync(item, timeout.Token);
                    await _tcp.WriteAsync("\n"u8.ToArray(), timeout.Token);
                }
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or SocketException or OperationCanceledException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            _tcp?.Dispose();
            _tcp = null;
            WorkerLog.TelemetryDeliveryFailed(_logger, _environmentId, Name, batch.Count, exception);
            lock (_lock)
            {
                _droppedRecords += batch.Count;
                _droppedBytes += batch.Sum(e => (long)e.Length);
            }
        }
    }
}
