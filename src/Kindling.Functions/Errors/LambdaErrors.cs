using System.Net;

namespace Kindling.Functions.Errors;

/// <summary>The errors Lambda's control plane returns, with AWS's codes, casing and wording.</summary>
public static class LambdaErrors
{
    /// <summary>404 ResourceNotFoundException with a free-form message.</summary>
    public static LambdaException NotFound(string message) =>
        new(HttpStatusCode.NotFound, "ResourceNotFoundException", message, capitalMessage: true);

    /// <summary>404 for a function (ARN includes the qualifier when one was given).</summary>
    public static LambdaException FunctionNotFound(string functionArn) => NotFound($"Function not found: {functionArn}");

    /// <summary>409 ResourceConflictException.</summary>
    public static LambdaException Conflict(string message) =>
        new(HttpStatusCode.Conflict, "ResourceConflictException", message);

    /// <summary>409 for an update while another is in progress.</summary>
    public static LambdaException UpdateInProgress(string arn) =>
        Conflict($"The operation cannot be performed at this time. An update is in progress for resource: {arn}");

    /// <summary>400 InvalidParameterValueException.</summary>
    public static LambdaException InvalidParameter(string message) =>
        new(HttpStatusCode.BadRequest, "InvalidParameterValueException", message);

    /// <summary>400 InvalidRequestContentException.</summary>
    public static LambdaException InvalidRequestContent(string message) =>
        new(HttpStatusCode.BadRequest, "InvalidRequestContentException", message);

    /// <summary>400 ValidationException (no <c>Type</c> field).</summary>
    public static LambdaException Validation(string message) =>
        new(HttpStatusCode.BadRequest, "ValidationException", message, capitalMessage: false, type: null);

    /// <summary>412 PreconditionFailedException.</summary>
    public static LambdaException PreconditionFailed(string message) =>
        new(HttpStatusCode.PreconditionFailed, "PreconditionFailedException", message);

    /// <summary>412 for a RevisionId that is not the current one.</summary>
    public static LambdaException RevisionMismatch() =>
        PreconditionFailed("The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id");

    /// <summary>413 RequestEntityTooLargeException for a direct upload over the zipped limit.</summary>
    public static LambdaException ZipTooLarge() =>
        new(HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLargeException",
            "Request must be smaller than 70167211 bytes for the CreateFunction operation");

    /// <summary>413 RequestTooLargeException for a request body over a limit.</summary>
    public static LambdaException RequestTooLarge(long limit, string operation) =>
        new(HttpStatusCode.RequestEntityTooLarge, "RequestTooLargeException",
            $"Request must be smaller than {limit} bytes for the {operation} operation");

    /// <summary>500 ServiceException.</summary>
    public static LambdaException Service(string message) =>
        new(HttpStatusCode.InternalServerError, "ServiceException", message, capitalMessage: true, type: "Service");

    /// <summary>403 AccessDeniedException.</summary>
    public static LambdaException AccessDenied(string message) =>
        new(HttpStatusCode.Forbidden, "AccessDeniedException", message, capitalMessage: true);
}
