namespace Engine.Tests.Fuzz;

/// <summary>
/// The kinds of damage a disk or a crash does to bytes, applied to copies: flipped bits, ranges
/// overwritten (with noise, zeros, ones, or bytes from elsewhere in the file, as a misdirected
/// write would), and tails cut or zeroed.
/// </summary>
internal static class Mutate
{
    /// <summary>Flips <paramref name="count"/> distinct bits of <c>bytes[start..end)</c> in a copy.</summary>
    public static byte[] FlipBits(Random rng, byte[] bytes, int count, int start, int end)
    {
        var copy = (byte[])bytes.Clone();
        var bits = (end - start) * 8;
        // Distinct positions: flipping one bit twice would undo the damage.
        var chosen = new HashSet<int>();
        while (chosen.Count < Math.Min(count, bits)) chosen.Add(rng.Next(bits));
        foreach (var bit in chosen) copy[start + bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    /// <summary>Overwrites a random range of <c>bytes[start..end)</c> in a copy; the range may happen to get its old bytes.</summary>
    public static byte[] OverwriteRange(Random rng, byte[] bytes, int start, int end)
    {
        var copy = (byte[])bytes.Clone();
        var at = rng.Next(start, end);
        var length = rng.Next(1, Math.Min(end - at, 64) + 1);
        var range = copy.AsSpan(at, length);
        switch (rng.Next(4))
        {
            case 0:
                rng.NextBytes(range);
                break;
            case 1:
                range.Clear();
                break;
            case 2:
                range.Fill(0xFF);
                break;
            default:
                var from = rng.Next(0, bytes.Length - length + 1);
                bytes.AsSpan(from, length).CopyTo(range);
                break;
        }
        return copy;
    }

    /// <summary>A copy with every byte from <paramref name="cut"/> on set to zero: a torn write into preallocated space.</summary>
    public static byte[] ZeroFrom(byte[] bytes, int cut)
    {
        var copy = (byte[])bytes.Clone();
        copy.AsSpan(cut).Clear();
        return copy;
    }

    /// <summary><paramref name="bytes"/> followed by <paramref name="tailLength"/> random bytes: what follows a frame in a segment.</summary>
    public static byte[] WithRandomTail(Random rng, byte[] bytes, int tailLength)
    {
        var result = new byte[bytes.Length + tailLength];
        bytes.CopyTo(result, 0);
        rng.NextBytes(result.AsSpan(bytes.Length));
        return result;
    }
}
