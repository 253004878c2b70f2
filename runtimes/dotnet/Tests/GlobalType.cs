#pragma warning disable CA1050 // A type in the global namespace, on purpose (TypeLookupTests).
public sealed class GlobalType;
#pragma warning restore CA1050
