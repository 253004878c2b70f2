using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace Kindling.Runtime.Dotnet.Loading;

/// <summary>
/// Loads a class-library handler the way AWS's .NET runtime does, in the same order and with the same errors:
/// assembly (from the default load context, i.e. the function's .deps.json), type, method (by name through the base
/// types, else by full signature), method and type checks, the handler object (static constructor run, or an instance
/// built once), the serializer named by <c>[LambdaSerializer]</c> on the method or the assembly, then the parameter
/// shapes.
/// </summary>
internal static class UserCodeLoader
{
    private const BindingFlags DeclaredFlags = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic
        | BindingFlags.Instance | BindingFlags.Static;

    public static UserCode Load(string handlerString)
    {
        var handler = new HandlerInfo(handlerString);
        Assembly assembly;
        try
        {
            assembly = AssemblyLoadContext.Default.LoadFromAssemblyName(handler.AssemblyName);
        }
        catch (FileNotFoundException e)
        {
            throw LambdaValidationException.Create(Messages.CouldNotFindHandlerAssembly, e.FileName);
        }
        catch (Exception)
        {
            throw LambdaValidationException.Create(Messages.UnableToLoadAssembly, handler.AssemblyName);
        }

        var type = TypeLookup.Find(assembly, handler.TypeName)
            ?? throw LambdaValidationException.Create(Messages.UnableToLoadType, handler.TypeName, handler.AssemblyName);
        var method = FindByName(type, handler) ?? FindBySignature(type, handler)
            ?? throw LambdaValidationException.Create(Messages.NoMatchingMethod, handler.MethodName, handler.TypeName,
                handler.AssemblyName, handler.MethodName);
        ValidateMethod(method);
        var target = CreateTarget(type, method);
        var serializer = CreateSerializer(assembly, method);
        return UserCode.Create(handler, method, target, serializer);
    }

    private static MethodInfo? FindByName(Type type, HandlerInfo handler)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            try
            {
                if (current.GetMethod(handler.MethodName, DeclaredFlags) is { } method)
                {
                    return method;
                }
            }
            catch (AmbiguousMatchException)
            {
                throw Overloads(current, handler);
            }
        }

        return null;
    }

    private static MethodInfo? FindBySignature(Type type, HandlerInfo handler)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            var matches = new List<MethodInfo>();
            foreach (var method in current.GetMethods(DeclaredFlags))
            {
                if (method.ToString() == handler.MethodName)
                {
                    matches.Add(method);
                }
            }

            if (matches.Count == 1)
            {
                return matches[0];
            }

            if (matches.Count > 1)
            {
                throw Overloads(current, handler);
            }
        }

        return null;
    }

    private static LambdaValidationException Overloads(Type type, HandlerInfo handler)
    {
        var candidates = type.GetMethods(DeclaredFlags)
            .Where(m => m.Name == handler.MethodName || m.ToString() == handler.MethodName)
            .Select(m => m.ToString());
        return LambdaValidationException.Create(Messages.MethodHasOverloads, handler.MethodName, type.FullName, string.Join("\n", candidates));
    }

    private static void ValidateMethod(MethodInfo method)
    {
        if (method.IsAbstract)
        {
            throw LambdaValidationException.Create(Messages.HandlerMethodAbstract, method);
        }

        if (method.IsGenericMethod)
        {
            throw LambdaValidationException.Create(Messages.HandlerMethodGeneric, method);
        }

        if (method.ReturnType == typeof(void) && method.GetCustomAttribute<AsyncStateMachineAttribute>() is not null)
        {
            throw LambdaValidationException.Create(Messages.HandlerMethodAsyncVoid, method);
        }

        var parameters = method.GetParameters();
        if (parameters.Length > 0 && parameters[^1].GetCustomAttribute<ParamArrayAttribute>() is not null)
        {
            throw LambdaValidationException.Create(Messages.HandlerMethodParams, method);
        }

        if ((method.CallingConvention & CallingConventions.VarArgs) != 0)
        {
            throw LambdaValidationException.Create(Messages.HandlerMethodVararg, method);
        }
    }

    private static object? CreateTarget(Type type, MethodInfo method)
    {
        if (type.IsGenericType)
        {
            throw LambdaValidationException.Create(Messages.HandlerTypeGeneric, type.FullName);
        }

        if (!type.IsClass && !type.IsValueType || type.IsEnum)
        {
            throw LambdaValidationException.Create(Messages.HandlerNotClassOrStruct, type.FullName);
        }

        if (method.IsStatic)
        {
            // Static state is initialized now, during the init phase, as on AWS.
            RuntimeHelpers.RunClassConstructor(type.TypeHandle);
            return null;
        }

        if (type.IsAbstract)
        {
            throw LambdaValidationException.Create(Messages.HandlerTypeAbstract, method, type.FullName);
        }

        // One instance per execution environment: its constructor is the function's initialization code.
        return Activator.CreateInstance(type);
    }

    private static object? CreateSerializer(Assembly assembly, MethodInfo method)
    {
        switch (SerializerAttributeReader.TryFind(assembly, method, out var found))
        {
            case SerializerAttributeReader.Outcome.Absent:
                return null;
            case SerializerAttributeReader.Outcome.TypeNotSet:
                throw LambdaValidationException.Create(Messages.SerializerTypeNotSet, "Amazon.Lambda.Core.LambdaSerializerAttribute");
            case SerializerAttributeReader.Outcome.Found:
                return Construct(found!);
        }

        var attribute = FindSerializerAttribute(method.GetCustomAttributes()) ?? FindSerializerAttribute(assembly.GetCustomAttributes());
        if (attribute is null)
        {
            return null;
        }

        var attributeType = attribute.GetType();
        var property = attributeType.GetProperty("SerializerType");
        if (property is null || !typeof(Type).IsAssignableFrom(property.PropertyType))
        {
            throw LambdaValidationException.Create(Messages.InvalidClassNoSerializerType, attributeType.FullName);
        }

        if (property.GetValue(attribute) is not Type serializerType)
        {
            throw LambdaValidationException.Create(Messages.SerializerTypeNotSet, attributeType.FullName);
        }

        return Construct(serializerType);
    }

    private static object Construct(Type serializerType)
    {
        var constructor = serializerType.GetConstructor(Type.EmptyTypes)
            ?? throw LambdaValidationException.Create(Messages.SerializerMissingConstructor, serializerType.FullName);
        if (serializerType.GetInterface("Amazon.Lambda.Core.ILambdaSerializer") is null)
        {
            throw LambdaValidationException.Create(Messages.InvalidClassNoILambdaSerializer, serializerType.FullName);
        }

        return constructor.Invoke(null);
    }

    // No LINQ on the start-up path: System.Linq is one more assembly to load before the first next.
    private static Attribute? FindSerializerAttribute(IEnumerable<Attribute> attributes)
    {
        Attribute? found = null;
        foreach (var attribute in attributes)
        {
            if (attribute.GetType().FullName == "Amazon.Lambda.Core.LambdaSerializerAttribute")
            {
                found = found is null ? attribute : throw new InvalidOperationException("Sequence contains more than one matching element");
            }
        }

        return found;
    }
}
