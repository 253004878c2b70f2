using System.Globalization;
using Kindling.Functions;
using Kindling.Functions.Errors;
using Microsoft.AspNetCore.Http;

namespace Kindling.Api.Endpoints;

/// <summary>Small request and response conveniences shared by the endpoint groups.</summary>
internal static class Http
{
    public static IResult Json(object value, int status = StatusCodes.Status200OK) =>
        Results.Json(value, LambdaJson.Options, "application/json", status);

    public static IResult NoContent() => Results.StatusCode(StatusCodes.Status204NoContent);

    public static string? Query(HttpContext context, string name) =>
        context.Request.Query.TryGetValue(name, out var values) ? values.ToString() : null;

    public static int? QueryInt(HttpContext context, string name)
    {
        var value = Query(context, name);
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw LambdaErrors.InvalidParameter($"Invalid value for {name}: {value}");
    }

    public static long PathLong(string value, string member) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw LambdaErrors.Validation($"1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: Member must be a number");
}
