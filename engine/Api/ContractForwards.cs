using System.Runtime.CompilerServices;

// The processor contract lives in Engine.Processors, which a processor DLL references instead of
// the whole engine. A DLL built against Engine before the split names these types in Engine.dll:
// the forwards send it to where they are now, so it loads unchanged.
[assembly: TypeForwardedTo(typeof(Engine.IProcessor))]
[assembly: TypeForwardedTo(typeof(Engine.ProcessorDelegate))]
[assembly: TypeForwardedTo(typeof(Engine.LogEntry))]
[assembly: TypeForwardedTo(typeof(Engine.SystemProcAttribute))]
[assembly: TypeForwardedTo(typeof(Engine.OnMaxReclaims))]
