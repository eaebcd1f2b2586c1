using Bria.StatusBridge.Tracking;

namespace Bria.StatusBridge.Tests.Tracking;

public sealed class DeterministicIdTests
{
    [Fact]
    public void Same_parts_give_the_same_id()
    {
        Assert.Equal(DeterministicId.Create("a", "b", null), DeterministicId.Create("a", "b", null));
    }

    [Fact]
    public void Different_splits_and_null_versus_empty_give_different_ids()
    {
        Assert.NotEqual(DeterministicId.Create("a", "bc"), DeterministicId.Create("ab", "c"));
        Assert.NotEqual(DeterministicId.Create("a", null), DeterministicId.Create("a", ""));
    }

    [Fact]
    public void Ids_carry_version_8_and_the_RFC_variant()
    {
        var text = DeterministicId.Create("x").ToString();

        Assert.Equal('8', text[14]);
        Assert.Contains(text[19], "89ab");
    }
}
