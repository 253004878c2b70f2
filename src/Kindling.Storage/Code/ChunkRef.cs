namespace Kindling.Storage.Code;

/// <summary>One chunk of an object, in order: the SHA-256 of its plaintext and its plaintext length.</summary>
internal readonly record struct ChunkRef(byte[] Hash, int Length);
