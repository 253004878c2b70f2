using System.Text.Json;
using Amazon.Lambda.Core;

[assembly: LambdaSerializer(typeof(Conformance.JsonSerializer))]

namespace Conformance;

/// <summary>The function's serializer (System.Text.Json), named by the assembly-level attribute above.</summary>
public sealed class JsonSerializer : ILambdaSerializer
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = true };

    public T Deserialize<T>(Stream requestStream) => System.Text.Json.JsonSerializer.Deserialize<T>(requestStream, Options)!;

    public void Serialize<T>(T response, Stream responseStream) => System.Text.Json.JsonSerializer.Serialize(responseStream, response, Options);
}
