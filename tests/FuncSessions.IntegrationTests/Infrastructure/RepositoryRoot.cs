namespace FuncSessions.IntegrationTests.Infrastructure;

public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "FuncSessions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("FuncSessions.sln not found above the test directory.");
    }
}
