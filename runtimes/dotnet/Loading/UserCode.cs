using System.Reflection;
using Amazon.Lambda.Core;

namespace Kindling.Runtime.Dotnet.Loading;

/// <summary>
/// A loaded handler, ready to invoke: the event becomes the input (a <see cref="Stream"/> as is, anything else through
/// the serializer), the context is passed when asked for, a Task is awaited, and the result becomes the response
/// (a returned Stream copied as is, anything else through the serializer, nothing for void and Task).
/// </summary>
internal sealed class UserCode
{
    private const BindingFlags InvokeFlags = BindingFlags.DoNotWrapExceptions;

    private readonly MethodInfo _method;
    private readonly object? _target;
    private readonly object? _serializer;
    private readonly int _parameterCount;
    private readonly InputKind _input;
    private readonly int _contextIndex;
    private readonly MethodInfo? _deserialize;
    private readonly MethodInfo? _serialize;
    private readonly bool _returnsTask;
    private readonly PropertyInfo? _taskResult;
    private readonly OutputKind _output;

    private UserCode(MethodInfo method, object? target, object? serializer, int parameterCount, InputKind input, int contextIndex,
        MethodInfo? deserialize, MethodInfo? serialize, bool returnsTask, PropertyInfo? taskResult, OutputKind output)
    {
        _method = method;
        _target = target;
        _serializer = serializer;
        _parameterCount = parameterCount;
        _input = input;
        _contextIndex = contextIndex;
        _deserialize = deserialize;
        _serialize = serialize;
        _returnsTask = returnsTask;
        _taskResult = taskResult;
        _output = output;
    }

    private enum InputKind
    {
        None,
        Stream,
        Serialized,
    }

    private enum OutputKind
    {
        None,
        Stream,
        Serialized,
    }

    public static UserCode Create(HandlerInfo handler, MethodInfo method, object? target, object? serializer)
    {
        var parameterInfos = method.GetParameters();
        var parameters = new Type[parameterInfos.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = parameterInfos[i].ParameterType;
        }

        if (parameters.Length > 2)
        {
            throw LambdaValidationException.Create(Messages.MethodTooManyParams, method.Name, handler.TypeName);
        }

        Type? inputType = null;
        var contextIndex = -1;
        if (parameters.Length == 2)
        {
            if (!IsContext(parameters[1]))
            {
                throw LambdaValidationException.Create(Messages.MethodSecondParamNotContext, method.Name, handler.TypeName,
                    "Amazon.Lambda.Core.ILambdaContext");
            }

            inputType = parameters[0];
            contextIndex = 1;
        }
        else if (parameters.Length == 1)
        {
            if (IsContext(parameters[0]))
            {
                contextIndex = 0;
            }
            else
            {
                inputType = parameters[0];
            }
        }

        var input = InputKind.None;
        MethodInfo? deserialize = null;
        if (inputType == typeof(Stream))
        {
            input = InputKind.Stream;
        }
        else if (inputType is not null)
        {
            if (serializer is null)
            {
                throw LambdaValidationException.Create(Messages.DeserializeMissingAttribute, handler.AssemblyName, handler.MethodName,
                    inputType.FullName, "Amazon.Lambda.Core.LambdaSerializerAttribute");
            }

            input = InputKind.Serialized;
            deserialize = SerializerInterface(serializer).GetMethod("Deserialize")!.MakeGenericMethod(inputType);
        }

        var returnType = method.ReturnType;
        var taskType = TaskOfT(returnType);
        var returnsTask = typeof(Task).IsAssignableFrom(returnType);
        var outputType = taskType is not null ? taskType.GenericTypeArguments[0] : returnsTask || returnType == typeof(void) ? null : returnType;
        var output = OutputKind.None;
        MethodInfo? serialize = null;
        if (outputType is not null && typeof(Stream).IsAssignableFrom(outputType))
        {
            output = OutputKind.Stream;
        }
        else if (outputType is not null)
        {
            if (serializer is null)
            {
                throw LambdaValidationException.Create(Messages.SerializeMissingAttribute, handler.AssemblyName, handler.MethodName,
                    outputType.FullName, "Amazon.Lambda.Core.LambdaSerializerAttribute");
            }

            output = OutputKind.Serialized;
            serialize = SerializerInterface(serializer).GetMethod("Serialize")!.MakeGenericMethod(outputType);
        }

        return new UserCode(method, target, serializer, parameters.Length, input, contextIndex, deserialize, serialize, returnsTask,
            taskType?.GetProperty("Result"), output);
    }

    /// <summary>Runs the handler on one event; returns the response payload.</summary>
    public ReadOnlyMemory<byte> Invoke(byte[] payload, ILambdaContext context)
    {
        var arguments = _parameterCount == 0 ? null : new object?[_parameterCount];
        using var inputStream = new MemoryStream(payload, 0, payload.Length, writable: false, publiclyVisible: true);
        if (_input == InputKind.Stream)
        {
            arguments![0] = inputStream;
        }
        else if (_input == InputKind.Serialized)
        {
            arguments![0] = _deserialize!.Invoke(_serializer, InvokeFlags, null, [inputStream], null);
        }

        if (_contextIndex >= 0)
        {
            arguments![_contextIndex] = context;
        }

        var result = _method.Invoke(_target, InvokeFlags, null, arguments, null);
        if (_returnsTask)
        {
            var task = (Task)result!;
            task.GetAwaiter().GetResult();
            result = _taskResult?.GetValue(task);
        }

        switch (_output)
        {
            case OutputKind.Stream:
                using (var stream = (Stream?)result)
                {
                    if (stream is null)
                    {
                        return ReadOnlyMemory<byte>.Empty;
                    }

                    var copy = new MemoryStream();
                    stream.CopyTo(copy);
                    return copy.GetBuffer().AsMemory(0, (int)copy.Length);
                }

            case OutputKind.Serialized:
                var output = new MemoryStream();
                _serialize!.Invoke(_serializer, InvokeFlags, null, [result, output], null);
                return output.GetBuffer().AsMemory(0, (int)output.Length);
            default:
                return ReadOnlyMemory<byte>.Empty;
        }
    }

    private static bool IsContext(Type type) => type.FullName == "Amazon.Lambda.Core.ILambdaContext";

    private static Type SerializerInterface(object serializer) =>
        serializer.GetType().GetInterface("Amazon.Lambda.Core.ILambdaSerializer")!;

    private static Type? TaskOfT(Type? type)
    {
        for (; type is not null; type = type.BaseType)
        {
            if (type.IsConstructedGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
            {
                return type;
            }
        }

        return null;
    }
}
