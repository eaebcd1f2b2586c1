namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>Files of the repository the tests run from (the README's commands are tested as written).</summary>
public static class Repository
{
    /// <summary>The repository's root: the folder above the test binaries that holds the solution.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The text of a file, by its path from the root.</summary>
    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Bria.StatusBridge.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Bria.StatusBridge.sln above {AppContext.BaseDirectory}.");
    }
}
