namespace Amazon.Lambda.Core;

/// <summary>The application that invoked the function through a mobile SDK.</summary>
public interface IClientApplication
{
    /// <summary>Package name.</summary>
    string AppPackageName { get; }

    /// <summary>Title.</summary>
    string AppTitle { get; }

    /// <summary>Version code.</summary>
    string AppVersionCode { get; }

    /// <summary>Version name.</summary>
    string AppVersionName { get; }

    /// <summary>Installation id.</summary>
    string InstallationId { get; }
}
