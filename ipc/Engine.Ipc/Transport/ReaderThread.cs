using System.IO.Pipelines;

namespace Engine.Ipc.Transport;

/// <summary>
/// Feeds a connection's input from a thread of its own that blocks in <see cref="Stream.Read(Span{byte})"/>.
/// The pipe runs its reader's continuations inline, so the connection's read loop (written as
/// ordinary async code) runs on this thread the moment bytes arrive: the kernel wakes one thread,
/// and nothing is queued to the thread pool between a frame arriving and being handled (measured:
/// a one-at-a-time round trip went from 60 to 25 µs). A client lives in an application whose
/// runtime settings are not Engine's to change, so this is how it gets what inline socket
/// completions give the host. One thread per connection is fine for a client (an application
/// holds one or a few); the host, with any number of clients and its answers to slow readers to
/// bound, keeps async sockets. The stream must be a <see cref="BlockingStream"/> (or TLS over one).
/// </summary>
internal static class ReaderThread
{
    private const int ReadSize = 64 * 1024;

    public static PipeReader Start(Stream stream, string name)
    {
        var pipe = new Pipe(new PipeOptions(
            readerScheduler: PipeScheduler.Inline,
            writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 4 * 1024 * 1024,
            resumeWriterThreshold: 2 * 1024 * 1024,
            minimumSegmentSize: ReadSize,
            useSynchronizationContext: false));
        var thread = new Thread(() => Pump(stream, pipe.Writer)) { IsBackground = true, Name = name };
        thread.Start();
        return pipe.Reader;
    }

    private static void Pump(Stream stream, PipeWriter writer)
    {
        Exception? failure = null;
        try
        {
            while (true)
            {
                var received = stream.Read(writer.GetSpan(ReadSize));
                if (received == 0) break; // the peer closed the connection
                writer.Advance(received);
                var flush = writer.FlushAsync();
                // Waits only when the read loop is this far behind (a pause, not a hand-off per frame).
                var result = flush.IsCompleted ? flush.Result : flush.AsTask().GetAwaiter().GetResult();
                if (result.IsCompleted) break; // the read loop is done with this connection
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            failure = e as IOException ?? new IOException(e.Message, e); // the read loops treat an IOException as a lost connection
        }
        writer.Complete(failure);
    }
}
