using System.Globalization;
using Engine.Ids;

namespace Engine.Tests.Core;

/// <summary>
/// The id formatter sizes the string from a digit count before writing it, so every number of
/// digits (and each power of ten, where the count changes) must come out as plain decimal does.
/// Entries read from a store format their ids only when asked; they still compare by id and body.
/// </summary>
public sealed class IdFormatTests
{
    public static TheoryData<long> Numbers()
    {
        var numbers = new TheoryData<long> { 0, 1, long.MaxValue, 1_732_464_000_000 };
        for (long power = 10; power > 0 && power <= long.MaxValue / 10; power *= 10)
        {
            numbers.Add(power - 1);
            numbers.Add(power);
            numbers.Add(power + 1);
        }
        numbers.Add(1_000_000_000_000_000_000);
        numbers.Add(999_999_999_999_999_999);
        return numbers;
    }

    [Theory]
    [MemberData(nameof(Numbers))]
    public void Format_writes_both_numbers_in_plain_decimal(long number)
    {
        var expected = number.ToString(CultureInfo.InvariantCulture);
        Assert.Equal($"{expected}-7", LogId.Format(number, 7));
        Assert.Equal($"7-{expected}", LogId.Format(7, number));
        Assert.Equal($"{expected}-{expected}", LogId.Format(number, number));
    }

    [Fact]
    public void An_entry_whose_id_is_not_formatted_yet_equals_one_made_with_the_id()
    {
        var body = new byte[] { 1, 2, 3 }.AsMemory();
        var read = new LogEntry(1_732_464_000_000, 42, body);
        var made = new LogEntry("1732464000000-42", body);

        Assert.Equal(made, read);
        Assert.Equal(made.GetHashCode(), read.GetHashCode());
        Assert.Equal("1732464000000-42", read.Id);
        Assert.NotEqual(made, new LogEntry(1_732_464_000_000, 43, body));
        Assert.Equal("1732464000000-9", (read with { Id = "1732464000000-9" }).Id);
    }
}
