namespace Amazon.Lambda.Core;

/// <summary>Turns the invocation's payload into the handler's input type and its result into the response.</summary>
public interface ILambdaSerializer
{
    /// <summary>Reads an object of type <typeparamref name="T"/> from the request stream.</summary>
    T Deserialize<T>(Stream requestStream);

    /// <summary>Writes <paramref name="response"/> to the response stream.</summary>
    void Serialize<T>(T response, Stream responseStream);
}
