using Bria.StatusBridge.Hosting;

return await BridgeCommandLine.RunAsync(args);
