using StockJwtBearerApi;

await using var app = StockJwtBearerApp.Build(WebApplication.CreateBuilder(args));
await app.RunAsync();
