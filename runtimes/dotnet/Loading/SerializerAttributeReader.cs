using System.Reflection;
using System.Runtime.Loader;
using System.Text;

namespace Kindling.Runtime.Dotnet.Loading;

/// <summary>
/// Reads <c>[LambdaSerializer(typeof(X))]</c> (on the handler method, else on its assembly) from the metadata tables
/// and resolves X with <see cref="TypeLookup"/>. Instantiating the attribute through reflection would parse X's
/// assembly-qualified name with the runtime's type-name parser, whose first use costs 6-10 ms of a full core
/// before the first <c>next</c>. Anything unusual answers <see cref="Outcome.Unknown"/> and the loader uses
/// reflection, as AWS's runtime does.
/// </summary>
internal static class SerializerAttributeReader
{
    private const int AssemblyTag = 14;
    private const int MethodDefTag = 0;

    internal enum Outcome
    {
        Unknown,
        Absent,
        Found,
        TypeNotSet,
    }

    public static Outcome TryFind(Assembly assembly, MethodInfo method, out Type? serializerType)
    {
        serializerType = null;
        try
        {
            if (method.Module != method.Module.Assembly.ManifestModule || MetadataTables.Open(method.Module.Assembly) is not { } methodTables)
            {
                return Outcome.Unknown;
            }

            var outcome = Find(methodTables, ((method.MetadataToken & 0xFFFFFF) << 5) | MethodDefTag, method.Module.Assembly, out serializerType);
            if (outcome != Outcome.Absent)
            {
                return outcome;
            }

            if (MetadataTables.Open(assembly) is not { } assemblyTables)
            {
                return Outcome.Unknown;
            }

            return Find(assemblyTables, (1 << 5) | AssemblyTag, assembly, out serializerType);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException
            or BadImageFormatException or IOException or FileLoadException)
        {
            return Outcome.Unknown;
        }
    }

    private static Outcome Find(MetadataTables tables, int parent, Assembly owner, out Type? serializerType)
    {
        serializerType = null;
        var parentSize = tables.HasCustomAttributeSize;
        var typeSize = tables.CustomAttributeTypeSize;
        for (var row = 1; row <= tables.Rows(MetadataTables.CustomAttribute); row++)
        {
            var position = tables.RowOffset(MetadataTables.CustomAttribute, row);
            if (tables.ReadIndex(position, parentSize) != parent)
            {
                continue;
            }

            var constructor = tables.ReadIndex(position + parentSize, typeSize);
            if ((constructor & 7) != 3)
            {
                // A constructor defined in this assembly: not Amazon.Lambda.Core's attribute unless this is that
                // assembly; leave such cases to reflection.
                if (IsNamed(owner, "Amazon.Lambda.Core"))
                {
                    return Outcome.Unknown;
                }

                continue;
            }

            var memberRef = tables.RowOffset(MetadataTables.MemberRef, constructor >> 3);
            var declaring = tables.ReadIndex(memberRef, tables.MemberRefParentSize);
            if ((declaring & 7) != 1)
            {
                continue;
            }

            var typeRef = tables.RowOffset(MetadataTables.TypeRef, declaring >> 3);
            var scopeSize = tables.CodedSize(2, MetadataTables.Module, 0x1A, 0x23, MetadataTables.TypeRef);
            var name = tables.String(tables.ReadIndex(typeRef + scopeSize, tables.StringIndexSize));
            var ns = tables.String(tables.ReadIndex(typeRef + scopeSize + tables.StringIndexSize, tables.StringIndexSize));
            if (!name.SequenceEqual("LambdaSerializerAttribute"u8) || !ns.SequenceEqual("Amazon.Lambda.Core"u8))
            {
                continue;
            }

            var value = tables.Blob(tables.ReadIndex(position + parentSize + typeSize, tables.BlobIndexSize));
            if (value.Length < 3 || value[0] != 1 || value[1] != 0)
            {
                return Outcome.Unknown;
            }

            if (value[2] == 0xFF)
            {
                return Outcome.TypeNotSet;
            }

            var length = MetadataTables.ReadCompressed(value[2..], out var prefix);
            var typeName = Encoding.UTF8.GetString(value.Slice(2 + prefix, length));
            serializerType = Resolve(typeName, owner);
            return serializerType is null ? Outcome.Unknown : Outcome.Found;
        }

        return Outcome.Absent;
    }

    private static Type? Resolve(string assemblyQualifiedName, Assembly owner)
    {
        if (assemblyQualifiedName.Contains('[', StringComparison.Ordinal))
        {
            return null;
        }

        var comma = assemblyQualifiedName.IndexOf(',', StringComparison.Ordinal);
        var typeName = (comma < 0 ? assemblyQualifiedName : assemblyQualifiedName[..comma]).Trim();
        var assembly = comma < 0 ? owner : AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(assemblyQualifiedName[(comma + 1)..].Trim()));
        return TypeLookup.FindInMetadata(assembly, typeName);
    }

    private static bool IsNamed(Assembly assembly, string name) => assembly.GetName().Name == name;
}
