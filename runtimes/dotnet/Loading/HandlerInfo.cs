using System.Reflection;

namespace Kindling.Runtime.Dotnet.Loading;

/// <summary>A parsed <c>ASSEMBLY::TYPE::METHOD</c> handler string.</summary>
internal sealed class HandlerInfo
{
    public HandlerInfo(string handler)
    {
        if (string.IsNullOrEmpty(handler))
        {
            throw LambdaValidationException.Create(Messages.EmptyHandler);
        }

        var parts = handler.Split("::", 3);
        if (parts.Length != 3)
        {
            throw LambdaValidationException.Create(Messages.InvalidHandler, handler);
        }

        var assembly = parts[0].Trim();
        var type = parts[1].Trim();
        var method = parts[2].Trim();
        if (assembly.Length == 0)
        {
            throw LambdaValidationException.Create(Messages.MissingAssembly, handler);
        }

        if (type.Length == 0)
        {
            throw LambdaValidationException.Create(Messages.MissingType, handler);
        }

        if (method.Length == 0)
        {
            throw LambdaValidationException.Create(Messages.MissingMethod, handler);
        }

        AssemblyName = new AssemblyName(assembly);
        TypeName = type;
        MethodName = method;
    }

    public AssemblyName AssemblyName { get; }

    public string TypeName { get; }

    /// <summary>A method name, or a full signature as <c>MethodInfo.ToString()</c> prints it.</summary>
    public string MethodName { get; }
}
