using System.Buffers.Binary;
using System.Reflection;
using System.Reflection.Metadata;

namespace Kindling.Runtime.Dotnet.Loading;

/// <summary>
/// Just enough of an assembly's ECMA-335 metadata tables (read through <c>TryGetRawMetadata</c>) to find a type by
/// name and read a custom attribute's arguments without the runtime's type-name parser (see <see cref="TypeLookup"/>).
/// Rows are 1-based as in metadata tokens.
/// </summary>
internal sealed unsafe class MetadataTables
{
    public const int Module = 0x00, TypeRef = 0x01, TypeDef = 0x02, FieldPtr = 0x03, Field = 0x04, MethodPtr = 0x05,
        MethodDef = 0x06, ParamPtr = 0x07, Param = 0x08, InterfaceImpl = 0x09, MemberRef = 0x0A, Constant = 0x0B,
        CustomAttribute = 0x0C;

    // The tables a HasCustomAttribute coded index can name, in tag order (ECMA-335 II.24.2.6).
    private static readonly int[] HasCustomAttributeTables =
        [0x06, 0x04, 0x01, 0x02, 0x08, 0x09, 0x0A, 0x00, 0x0E, 0x17, 0x14, 0x11, 0x1A, 0x1B, 0x20, 0x23, 0x26, 0x27, 0x28, 0x2A, 0x2C, 0x2B];

    private readonly byte* _tables;
    private readonly byte* _strings;
    private readonly int _stringsLength;
    private readonly byte* _blobs;
    private readonly int _blobsLength;
    private readonly int[] _rows = new int[64];
    private readonly int[] _offsets = new int[CustomAttribute + 1];
    private readonly int[] _rowSizes = new int[CustomAttribute + 1];

    private MetadataTables(byte* tables, byte* strings, int stringsLength, byte* blobs, int blobsLength)
    {
        _tables = tables;
        _strings = strings;
        _stringsLength = stringsLength;
        _blobs = blobs;
        _blobsLength = blobsLength;
    }

    public int StringIndexSize { get; private set; }

    public int BlobIndexSize { get; private set; }

    public int Rows(int table) => _rows[table];

    /// <summary>The tables of the assembly's manifest module, or null when they cannot be read this way.</summary>
    public static MetadataTables? Open(Assembly assembly)
    {
        if (!assembly.TryGetRawMetadata(out var blob, out var length) || length < 32 || BinaryPrimitives.ReadUInt32LittleEndian(new ReadOnlySpan<byte>(blob, 4)) != 0x424A5342)
        {
            return null;
        }

        var metadata = new ReadOnlySpan<byte>(blob, length);
        var versionLength = BinaryPrimitives.ReadInt32LittleEndian(metadata[12..]);
        var position = 16 + versionLength + 2;
        var streamCount = BinaryPrimitives.ReadUInt16LittleEndian(metadata[position..]);
        position += 2;
        int tablesOffset = -1, stringsOffset = -1, stringsSize = 0, blobsOffset = -1, blobsSize = 0;
        for (var i = 0; i < streamCount; i++)
        {
            var offset = BinaryPrimitives.ReadInt32LittleEndian(metadata[position..]);
            var size = BinaryPrimitives.ReadInt32LittleEndian(metadata[(position + 4)..]);
            var nameStart = position + 8;
            var nameLength = metadata[nameStart..].IndexOf((byte)0);
            var name = metadata.Slice(nameStart, nameLength);
            if (name.SequenceEqual("#~"u8))
            {
                tablesOffset = offset;
            }
            else if (name.SequenceEqual("#Strings"u8))
            {
                (stringsOffset, stringsSize) = (offset, size);
            }
            else if (name.SequenceEqual("#Blob"u8))
            {
                (blobsOffset, blobsSize) = (offset, size);
            }

            position = nameStart + ((nameLength + 4) & ~3);
        }

        if (tablesOffset < 0 || stringsOffset < 0 || blobsOffset < 0)
        {
            return null;
        }

        var tables = new MetadataTables(blob + tablesOffset, blob + stringsOffset, stringsSize, blob + blobsOffset, blobsSize);
        tables.ReadHeader();
        return tables;
    }

    /// <summary>The offset of a column in a row of one of the first tables.</summary>
    public int RowOffset(int table, int row) => _offsets[table] + (row - 1) * _rowSizes[table];

    public int ReadIndex(int offset, int size) =>
        size == 2 ? BinaryPrimitives.ReadUInt16LittleEndian(new ReadOnlySpan<byte>(_tables + offset, 2)) : BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(_tables + offset, 4));

    public ReadOnlySpan<byte> String(int index)
    {
        var text = new ReadOnlySpan<byte>(_strings + index, _stringsLength - index);
        var end = text.IndexOf((byte)0);
        return end < 0 ? text : text[..end];
    }

    /// <summary>The bytes of a blob (its compressed length prefix removed).</summary>
    public ReadOnlySpan<byte> Blob(int index)
    {
        var data = new ReadOnlySpan<byte>(_blobs + index, _blobsLength - index);
        var length = ReadCompressed(data, out var prefix);
        return data.Slice(prefix, length);
    }

    public static int ReadCompressed(ReadOnlySpan<byte> data, out int size)
    {
        if ((data[0] & 0x80) == 0)
        {
            size = 1;
            return data[0];
        }

        if ((data[0] & 0xC0) == 0x80)
        {
            size = 2;
            return ((data[0] & 0x3F) << 8) | data[1];
        }

        size = 4;
        return ((data[0] & 0x1F) << 24) | (data[1] << 16) | (data[2] << 8) | data[3];
    }

    /// <summary>Size of a coded index over the given tables.</summary>
    public int CodedSize(int tagBits, params ReadOnlySpan<int> tables)
    {
        var max = 0;
        foreach (var table in tables)
        {
            max = Math.Max(max, _rows[table]);
        }

        return max < (1 << (16 - tagBits)) ? 2 : 4;
    }

    public int HasCustomAttributeSize => CodedSize(5, HasCustomAttributeTables);

    public int CustomAttributeTypeSize => CodedSize(3, MethodDef, MemberRef);

    public int TypeDefOrRefSize => CodedSize(2, TypeDef, TypeRef, 0x1B);

    public int MemberRefParentSize => CodedSize(3, TypeDef, TypeRef, 0x1A, MethodDef, 0x1B);

    private int Simple(int table) => _rows[table] < 0x10000 ? 2 : 4;

    private void ReadHeader()
    {
        var header = new ReadOnlySpan<byte>(_tables, 24);
        var heapSizes = header[6];
        var valid = BinaryPrimitives.ReadUInt64LittleEndian(header[8..]);
        var position = 24;
        for (var t = 0; t < 64; t++)
        {
            if ((valid & (1UL << t)) != 0)
            {
                _rows[t] = BinaryPrimitives.ReadInt32LittleEndian(new ReadOnlySpan<byte>(_tables + position, 4));
                position += 4;
            }
        }

        if ((heapSizes & 0x40) != 0)
        {
            position += 4;
        }

        StringIndexSize = (heapSizes & 0x01) != 0 ? 4 : 2;
        var guid = (heapSizes & 0x02) != 0 ? 4 : 2;
        BlobIndexSize = (heapSizes & 0x04) != 0 ? 4 : 2;
        var s = StringIndexSize;
        var b = BlobIndexSize;
        _rowSizes[Module] = 2 + s + 3 * guid;
        _rowSizes[TypeRef] = CodedSize(2, Module, 0x1A, 0x23, TypeRef) + 2 * s;
        _rowSizes[TypeDef] = 4 + 2 * s + TypeDefOrRefSize + Simple(Field) + Simple(MethodDef);
        _rowSizes[FieldPtr] = Simple(Field);
        _rowSizes[Field] = 2 + s + b;
        _rowSizes[MethodPtr] = Simple(MethodDef);
        _rowSizes[MethodDef] = 4 + 2 + 2 + s + b + Simple(Param);
        _rowSizes[ParamPtr] = Simple(Param);
        _rowSizes[Param] = 2 + 2 + s;
        _rowSizes[InterfaceImpl] = Simple(TypeDef) + TypeDefOrRefSize;
        _rowSizes[MemberRef] = MemberRefParentSize + s + b;
        _rowSizes[Constant] = 2 + CodedSize(2, Field, Param, 0x17) + b;
        _rowSizes[CustomAttribute] = HasCustomAttributeSize + CustomAttributeTypeSize + b;
        for (var t = 0; t <= CustomAttribute; t++)
        {
            _offsets[t] = position;
            position += _rows[t] * _rowSizes[t];
        }
    }
}
