using Bria.StatusBridge.Demo;
using Bria.StatusBridge.Hosting;

if (args is ["demo", ..])
{
    return await DemoCommand.RunAsync(args[1..]);
}

var app = BridgeApplication.Create(args);
await app.RunAsync();
return 0;
