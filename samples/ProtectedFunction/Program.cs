using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
// The one line that protects the app: FuncSessions__Authority (and __Issuer, __Audience) come from app settings.
builder.UseFuncSessionsAuthentication(o => builder.Configuration.GetSection("FuncSessions").Bind(o));
builder.Build().Run();
