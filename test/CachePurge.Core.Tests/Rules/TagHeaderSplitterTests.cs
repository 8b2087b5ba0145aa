using CachePurge.Core;

namespace CachePurge.Core.Tests.Rules;

public sealed class TagHeaderSplitterTests
{
    [Fact]
    public void Tags_that_fit_go_in_one_space_separated_value()
    {
        Assert.Equal(["a bb ccc"], TagHeaderSplitter.Split(["a", "bb", "ccc"], 100));
    }

    [Fact]
    public void A_long_list_is_split_so_that_no_value_exceeds_the_limit()
    {
        var tags = Enumerable.Range(0, 2_000).Select(i => $"ci-{i:D26}").ToList();

        var values = TagHeaderSplitter.Split(tags, 7_500);

        Assert.True(values.Count > 1);
        Assert.All(values, v => Assert.True(v.Length <= 7_500, $"{v.Length} bytes"));
        Assert.Equal(tags, values.SelectMany(v => v.Split(' ')));
    }

    [Fact]
    public void A_value_is_filled_up_to_exactly_the_limit()
    {
        Assert.Equal(["aaaa bbbb", "cccc"], TagHeaderSplitter.Split(["aaaa", "bbbb", "cccc"], 9));
    }

    [Fact]
    public void A_single_tag_longer_than_the_limit_is_an_error()
    {
        Assert.Throws<ArgumentException>(() => TagHeaderSplitter.Split([new string('x', 20)], 10));
    }
}
