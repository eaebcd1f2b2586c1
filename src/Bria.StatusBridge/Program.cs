using Bria.StatusBridge.Hosting;

var app = BridgeApplication.Create(args);
await app.RunAsync();
