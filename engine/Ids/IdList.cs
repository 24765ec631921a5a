namespace Engine.Ids;

/// <summary>
/// The ids of one commit, formatted only when read: bulk appends rarely look at their ids, and
/// formatting a string per record was a third of the cost of a batch commit. Each id is formatted
/// once, on first access.
/// </summary>
internal sealed class IdList(long timestamp, long[] seqs) : IReadOnlyList<string>
{
    private string?[]? _formatted;

    public int Count => seqs.Length;

    public string this[int index]
    {
        get
        {
            var formatted = _formatted ??= new string?[seqs.Length];
            return formatted[index] ??= LogId.Format(timestamp, seqs[index]);
        }
    }

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < seqs.Length; i++) yield return this[i];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"[{string.Join(", ", this)}]";
}
