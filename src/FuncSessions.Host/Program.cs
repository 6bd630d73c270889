using FuncSessions.Host;

return await SelfHost.RunAsync(args);
