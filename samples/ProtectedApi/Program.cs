using ProtectedApi;

await using var app = ProtectedApiApp.Build(WebApplication.CreateBuilder(args));
await app.RunAsync();
