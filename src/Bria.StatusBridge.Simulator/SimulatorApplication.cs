namespace Bria.StatusBridge.Simulator;

/// <summary>Builds the Bria simulator; shared by <c>Program</c> and the tests.</summary>
public static class SimulatorApplication
{
    /// <summary>Creates the simulator application, ready to run.</summary>
    public static WebApplication Create(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        return app;
    }
}
