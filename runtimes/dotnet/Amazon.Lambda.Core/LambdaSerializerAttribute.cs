namespace Amazon.Lambda.Core;

/// <summary>Names the <see cref="ILambdaSerializer"/> the runtime uses for a function's input and output.</summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Method, AllowMultiple = false)]
public sealed class LambdaSerializerAttribute : Attribute
{
    /// <summary>Creates the attribute for the given serializer type.</summary>
    public LambdaSerializerAttribute(Type serializerType)
    {
        SerializerType = serializerType;
    }

    /// <summary>The serializer type; it needs a public parameterless constructor.</summary>
    public Type SerializerType { get; set; }
}
