using System.Reflection;
using System.Runtime.Loader;

namespace Kindling.Runtime.Dotnet.Loading;

/// <summary>
/// The function's assemblies normally come from its .deps.json (the bootstrap passes it to <c>dotnet exec</c>). For
/// what that leaves out (no .deps.json in the package, or a function that does not ship Amazon.Lambda.Core), fall back
/// to <c>/var/task/&lt;name&gt;.dll</c>, then the runtime's own directory.
/// </summary>
internal static class AssemblyResolution
{
    public static void Install()
    {
        var taskRoot = Environment.GetEnvironmentVariable("LAMBDA_TASK_ROOT") is { Length: > 0 } root ? root : "/var/task";
        var runtimeRoot = AppContext.BaseDirectory;
        AssemblyLoadContext.Default.Resolving += (context, name) => Resolve(context, name, taskRoot, runtimeRoot);
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name, string taskRoot, string runtimeRoot)
    {
        if (string.IsNullOrEmpty(name.Name))
        {
            return null;
        }

        foreach (var directory in (ReadOnlySpan<string>)[taskRoot, runtimeRoot])
        {
            var path = Path.Combine(directory, name.Name + ".dll");
            if (File.Exists(path))
            {
                return context.LoadFromAssemblyPath(path);
            }
        }

        return null;
    }
}
