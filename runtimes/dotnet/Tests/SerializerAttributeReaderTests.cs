using Amazon.Lambda.Core;
using Kindling.Runtime.Dotnet.Loading;

[assembly: LambdaSerializer(typeof(Kindling.Runtime.Dotnet.Tests.AssemblySerializer))]

namespace Kindling.Runtime.Dotnet.Tests;

public sealed class AssemblySerializer : ILambdaSerializer
{
    public T Deserialize<T>(Stream requestStream) => throw new NotSupportedException();

    public void Serialize<T>(T response, Stream responseStream) => throw new NotSupportedException();
}

public sealed class SerializerAttributeReaderTests
{
    [LambdaSerializer(typeof(MethodSerializer))]
    public static string WithMethodSerializer(string input) => input;

    public static string WithoutMethodSerializer(string input) => input;

    [Fact]
    public void TryFind_MethodAttribute_WinsOverAssembly()
    {
        var method = typeof(SerializerAttributeReaderTests).GetMethod(nameof(WithMethodSerializer))!;
        Assert.Equal(SerializerAttributeReader.Outcome.Found, SerializerAttributeReader.TryFind(method.Module.Assembly, method, out var type));
        Assert.Same(typeof(MethodSerializer), type);
    }

    [Fact]
    public void TryFind_OnlyAssemblyAttribute_AssemblySerializer()
    {
        var method = typeof(SerializerAttributeReaderTests).GetMethod(nameof(WithoutMethodSerializer))!;
        Assert.Equal(SerializerAttributeReader.Outcome.Found, SerializerAttributeReader.TryFind(method.Module.Assembly, method, out var type));
        Assert.Same(typeof(AssemblySerializer), type);
    }

    [Fact]
    public void TryFind_NoAttributeAnywhere_Absent()
    {
        var method = typeof(Console).GetMethod(nameof(Console.Beep), Type.EmptyTypes)!;
        Assert.Equal(SerializerAttributeReader.Outcome.Absent, SerializerAttributeReader.TryFind(typeof(Console).Assembly, method, out _));
    }
}

public sealed class MethodSerializer : ILambdaSerializer
{
    public T Deserialize<T>(Stream requestStream) => throw new NotSupportedException();

    public void Serialize<T>(T response, Stream responseStream) => throw new NotSupportedException();
}
