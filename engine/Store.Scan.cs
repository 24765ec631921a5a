using Engine.Index;
using Engine.Topics;

namespace Engine;

/// <summary>
/// The reads behind <see cref="RecordScan"/>: a range resolved to seqs once, then read a page at a
/// time, each page under the reclamation gate, with the same checks as <see cref="Range"/>. The
/// gate is never held while the caller looks at a record: a scan may take as long as its caller
/// likes, and call the engine from inside its loop, without holding up the GC's unmapping.
/// </summary>
internal sealed partial class Store
{
    /// <summary>A forward range's seqs, <c>[Low, High]</c> (empty when Low &gt; High), resolved as <see cref="Range"/> resolves them.</summary>
    public (Topic Topic, long Low, long High) ResolveScan(string topicName, RangeOptions? options)
    {
        options ??= DefaultRange;
        var bounds = RangeRequest.Of(options);
        var topic = GetTopic(topicName);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var read = _gate.EnterRead();
                ThrowIfClosed();
                var (low, high) = bounds.Seqs(topic, reverse: false);
                if (options.Limit > 0 && low <= high) high = Math.Min(high, low + options.Limit - 1);
                return (topic, low, high);
            }
            catch (IndexDamagedException e)
            {
                RepairIndex(topic, e, attempt);
            }
        }
    }

    /// <summary>
    /// Fills <paramref name="page"/> with the records from <paramref name="from"/> on, at most to
    /// <paramref name="to"/>: at least one record unless none is left. Records the GC pruned since
    /// the scan began are skipped (they are gone; the scan goes on from the first kept one).
    /// </summary>
    public void ReadPage(Topic topic, long from, long to, ScanPage page)
    {
        for (var attempt = 0; ; attempt++)
        {
            page.Clear();
            try
            {
                using var read = _gate.EnterRead();
                ThrowIfClosed();
                var reader = new RecordReader(this, topic);
                for (var seq = Math.Max(from, topic.FirstSeq); seq <= to && !page.IsFull; seq++)
                {
                    var body = reader.ReadInPlace(seq, out var timestamp);
                    page.Add(timestamp, seq, body);
                }
                return;
            }
            catch (IndexDamagedException e)
            {
                RepairIndex(topic, e, attempt);
            }
        }
    }
}
