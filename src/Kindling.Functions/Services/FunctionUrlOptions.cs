namespace Kindling.Functions.Services;

/// <summary>How function URLs are spelled; <c>{0}</c> is the 32-character URL id.</summary>
public sealed record FunctionUrlOptions(string UrlTemplate);
