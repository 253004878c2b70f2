using System.Text.Json.Nodes;

namespace Kindling.Functions.Model;

/// <summary>A resource policy as stored: its statements (JSON objects) and revision.</summary>
public sealed record ResourcePolicy(IReadOnlyList<JsonObject> Statements, string RevisionId);

/// <summary>AddPermission's body.</summary>
public sealed record AddPermissionRequest
{
    /// <summary>Statement id.</summary>
    public string? StatementId { get; init; }
    /// <summary>Action, e.g. lambda:InvokeFunction.</summary>
    public string? Action { get; init; }
    /// <summary>Principal: a service, an account, an ARN or *.</summary>
    public string? Principal { get; init; }
    /// <summary>Source ARN condition.</summary>
    public string? SourceArn { get; init; }
    /// <summary>Source account condition.</summary>
    public string? SourceAccount { get; init; }
    /// <summary>Alexa event source token.</summary>
    public string? EventSourceToken { get; init; }
    /// <summary>Only when this is the policy's revision.</summary>
    public string? RevisionId { get; init; }
    /// <summary>Organization condition.</summary>
    public string? PrincipalOrgID { get; init; }
    /// <summary>Function URL auth type condition.</summary>
    public string? FunctionUrlAuthType { get; init; }
    /// <summary>Function invocation via URL condition.</summary>
    public bool? InvokedViaFunctionUrl { get; init; }
}

/// <summary>AddLayerVersionPermission's body.</summary>
public sealed record AddLayerVersionPermissionRequest(string? StatementId, string? Action, string? Principal, string? OrganizationId, string? RevisionId);
