namespace Bria.StatusBridge.IntegrationTests.Infrastructure;

/// <summary>The test trait that sorts tests by cost: <c>[Trait(TestCategory.Name, TestCategory.Slow)]</c> marks scale,
/// kill and benchmark-smoke tests, which <c>bash scripts/test.sh --fast</c> leaves out (the default runs them all).</summary>
public static class TestCategory
{
    public const string Name = "Category";

    public const string Slow = "Slow";
}
