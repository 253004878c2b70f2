namespace Amazon.Lambda.Core;

/// <summary>Log levels of <see cref="ILambdaLogger"/>.</summary>
public enum LogLevel
{
    /// <summary>Trace.</summary>
    Trace = 0,

    /// <summary>Debug.</summary>
    Debug = 1,

    /// <summary>Information.</summary>
    Information = 2,

    /// <summary>Warning.</summary>
    Warning = 3,

    /// <summary>Error.</summary>
    Error = 4,

    /// <summary>Critical.</summary>
    Critical = 5,
}
