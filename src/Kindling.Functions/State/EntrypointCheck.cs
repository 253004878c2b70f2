using Kindling.Functions.Runtimes;

namespace Kindling.Functions.State;

/// <summary>
/// Whether the code and layers contain what the runtime will start: <c>bootstrap</c> for custom runtimes,
/// the handler's module for managed ones, looked up where the runtime looks (the task root, then /opt paths).
/// </summary>
public static class EntrypointCheck
{
    /// <summary>Returns null when the entrypoint exists, else the reason it does not.</summary>
    public static string? Find(string? runtime, string? handler, IReadOnlySet<string> taskFiles, IReadOnlyList<IReadOnlySet<string>> layerFiles)
    {
        if (runtime is null)
        {
            return null;
        }

        bool InOpt(string path) => layerFiles.Any(l => l.Contains(path));

        if (RuntimeCatalog.IsCustom(runtime))
        {
            return taskFiles.Contains("bootstrap") || InOpt("bootstrap")
                ? null
                : "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]";
        }

        if (handler is null)
        {
            return "The handler is missing.";
        }

        if (runtime.StartsWith("python", StringComparison.Ordinal))
        {
            // A malformed handler is the runtime's to report at invoke (Runtime.MalformedHandlerName), as on AWS.
            var dot = handler.LastIndexOf('.');
            if (dot <= 0)
            {
                return null;
            }

            var module = handler[..dot].Replace('.', '/');
            string[] candidates = [module + ".py", module + "/__init__.py"];
            var version = runtime["python".Length..];
            var found = candidates.Any(taskFiles.Contains)
                || candidates.Any(c => InOpt("python/" + c) || InOpt($"python/lib/python{version}/site-packages/" + c));
            return found ? null : $"Unable to import module '{handler[..dot]}': No module named '{handler[..dot]}'";
        }

        if (runtime.StartsWith("nodejs", StringComparison.Ordinal))
        {
            // As Node's runtime reads it: the module ends at the first dot after the last slash (the rest names a
            // possibly nested export); a malformed handler is the runtime's to report at invoke.
            var slash = handler.LastIndexOf('/');
            var dot = handler.IndexOf('.', slash + 1);
            if (dot <= slash + 1 || handler.Contains("..", StringComparison.Ordinal))
            {
                return null;
            }

            var module = handler[..dot];
            string[] extensions = [".js", ".mjs", ".cjs", ""];
            var found = extensions.Any(e => taskFiles.Contains(module + e) || InOpt("nodejs/node_modules/" + module + e) || InOpt("nodejs/" + module + e));
            return found ? null : $"Cannot find module '{module}'";
        }

        if (runtime.StartsWith("dotnet", StringComparison.Ordinal))
        {
            var assembly = handler.Split("::")[0];
            return taskFiles.Contains(assembly + ".dll") || taskFiles.Contains(assembly) ? null : $"Could not find the specified handler assembly with the file name '{assembly}'.";
        }

        return null;
    }
}
