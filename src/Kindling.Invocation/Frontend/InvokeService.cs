using System.Net;
using System.Text;
using System.Text.Json;
using Kindling.Functions.Arns;
using Kindling.Functions.Errors;
using Kindling.Functions.Services;
using Kindling.Functions.Validation;
using Kindling.Invocation.Admission;
using Kindling.Invocation.Async;
using Kindling.Invocation.Environments;
using Kindling.Queues.Errors;

namespace Kindling.Invocation.Frontend;

/// <summary>
/// The frontend of Invoke: validates the request as Lambda does, resolves the function and qualifier, checks
/// the function's state and, for a weighted alias, the version that runs; admits the invocation under the account's
/// and the function's concurrency (429 TooManyRequestsException with Lambda's Reason otherwise), and hands it to
/// the worker manager.
/// </summary>
public sealed class InvokeService(
    FunctionStore functions,
    AliasRouting routing,
    ConcurrencySettings concurrency,
    ConcurrencyAdmission admission,
    FunctionSpecs specs,
    IWorkerManager workers,
    AsyncEventQueue events,
    TimeProvider time)
{
    /// <summary>The largest synchronous request payload.</summary>
    public const int MaxPayloadBytes = 6_291_456;

    /// <summary>The largest asynchronous (Event) payload: 1 MB since October 2025.</summary>
    public const int MaxEventPayloadBytes = 1_048_576;

    private const int MaxClientContextBytes = 3583;

    /// <summary>Runs (or, for DryRun, only checks) one invocation.</summary>
    public async Task<InvokeResponse> InvokeAsync(InvokeRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        errors.Enum(request.InvocationType, "invocationType", ["Event", "RequestResponse", "DryRun"]);
        errors.Enum(request.LogType, "logType", ["None", "Tail"]);
        errors.ThrowIfAny();
        if (request.InvocationType == "Event" && request.Payload.Length > MaxEventPayloadBytes)
        {
            throw EventTooLarge(request.Payload.Length);
        }

        if (request.Payload.Length > MaxPayloadBytes)
        {
            throw LambdaErrors.RequestTooLarge(MaxPayloadBytes, "InvokeFunction");
        }

        var reference = functions.Parse(request.FunctionName, request.Qualifier);
        var resolved = await routing.ResolveAsync(reference, cancellationToken);
        var configuration = resolved.Version.Configuration;
        if (configuration.State != "Active")
        {
            throw LambdaErrors.Conflict(
                $"The operation cannot be performed at this time. The function is currently in the following state: {configuration.State}");
        }

        var payload = request.Payload.Length == 0 ? "{}"u8.ToArray() : request.Payload;
        CheckJson(payload.Span);
        var clientContext = DecodeClientContext(request.ClientContext);
        if (request.InvocationType == "DryRun")
        {
            return new InvokeResponse { StatusCode = (int)HttpStatusCode.NoContent, ExecutedVersion = configuration.Version };
        }

        if (request.InvocationType == "Event")
        {
            return await EnqueueAsync(request, reference, payload, cancellationToken);
        }

        var spec = await specs.ForAsync(resolved.Version, cancellationToken);
        var settings = await concurrency.GetAsync(cancellationToken);
        if (!admission.TryEnter(reference.Name, settings, out var lease, out var throttleReason))
        {
            throw Throttled(throttleReason!, "Rate Exceeded.");
        }

        request.ResponseStream?.Begin(configuration.Version);
        InvocationResult result;
        try
        {
            // As in Lambda, an invocation goes on when its caller goes away; it keeps its place until it ends.
            result = await RunAdmittedAsync(
                lease,
                spec,
                new InvocationRequest
                {
                    RequestId = request.RequestId,
                    Payload = payload,
                    InvokedFunctionArn = functions.Account.FunctionArn(reference.Name, reference.Qualifier),
                    TraceId = request.TraceHeader ?? TraceIds.New(time),
                    ClientContext = clientContext,
                    TailLog = request.LogType == "Tail",
                    ResponseStream = request.ResponseStream,
                }).WaitAsync(cancellationToken);
        }
        catch (CapacityExceededException ex)
        {
            throw Throttled(ConcurrencyAdmission.AccountLimitReason, ex.Message);
        }
        catch (ScalingRateExceededException)
        {
            throw Throttled(ConcurrencyAdmission.ScalingRateReason(settings.For(reference.Name).Reserved is not null), "Rate Exceeded.");
        }
        catch (EnvironmentLaunchException ex)
        {
            throw LambdaErrors.Service("The execution environment could not be started: " + ex.Message);
        }

        return new InvokeResponse
        {
            StatusCode = (int)HttpStatusCode.OK,
            Payload = result.Payload,
            ExecutedVersion = configuration.Version,
            FunctionError = result.FunctionError,
            LogResult = result.LogTail is null ? null : Convert.ToBase64String(Tail4K(result.LogTail)),
        };
    }

    private async Task<InvocationResult> RunAdmittedAsync(AdmissionLease lease, FunctionSpec spec, InvocationRequest request)
    {
        using (lease)
        {
            return await workers.InvokeAsync(spec, request, CancellationToken.None);
        }
    }

    private static LambdaException Throttled(string reason, string message) =>
        new(HttpStatusCode.TooManyRequests, "TooManyRequestsException", message)
        {
            Extra = new Dictionary<string, string> { ["Reason"] = reason },
            Headers = new Dictionary<string, string> { ["Retry-After"] = "1" },
        };

    // The 202 is sent only once the event is committed to the internal queue: it survives a crash from then on.
    private async Task<InvokeResponse> EnqueueAsync(InvokeRequest request, FunctionReference reference, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var item = new AsyncEvent
        {
            FunctionName = reference.Name,
            Qualifier = reference.Qualifier,
            RequestId = request.RequestId,
            AcceptedAtMs = time.GetUtcNow().ToUnixTimeMilliseconds(),
            TraceHeader = request.TraceHeader,
            Payload = payload,
        };
        try
        {
            await events.EnqueueAsync(item, 0, cancellationToken);
        }
        catch (QueueException ex) when (ex.Code == "InvalidParameterValue")
        {
            // The payload and the event's metadata together exceed the queue's 1 MiB message.
            throw EventTooLarge(request.Payload.Length);
        }

        return new InvokeResponse { StatusCode = (int)HttpStatusCode.Accepted };
    }

    private static LambdaException EventTooLarge(int length) =>
        new(HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLargeException",
            $"{length} byte payload is too large for the Event invocation type (limit {MaxEventPayloadBytes} bytes)");

    private static byte[] Tail4K(string log)
    {
        var bytes = Encoding.UTF8.GetBytes(log);
        return bytes.Length <= 4096 ? bytes : bytes[^4096..];
    }

    private static void CheckJson(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { AllowTrailingCommas = false });
            while (reader.Read())
            {
            }
        }
        catch (JsonException ex)
        {
            throw LambdaErrors.InvalidRequestContent("Could not parse request body into json: Could not parse payload into json: " + ex.Message);
        }
    }

    private static string? DecodeClientContext(string? header)
    {
        if (string.IsNullOrEmpty(header))
        {
            return null;
        }

        try
        {
            var bytes = Convert.FromBase64String(header);
            if (bytes.Length > MaxClientContextBytes)
            {
                throw LambdaErrors.InvalidRequestContent($"Client context must be smaller than {MaxClientContextBytes + 1} bytes.");
            }

            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException();
            }

            return Encoding.UTF8.GetString(bytes);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            throw LambdaErrors.InvalidRequestContent("Client context must be a valid Base64-encoded JSON object.");
        }
    }
}
