using Mono.Cecil;

namespace Engine.Tests.Architecture;

/// <summary>
/// Which types each type of an assembly names: in its signatures, attributes and method bodies
/// (calls, field accesses, casts, allocations), read from the compiled IL with Mono.Cecil. A
/// compiler-made type (a lambda's closure, an async state machine) counts as part of the type it
/// was made for, so a dependency cannot hide in a lambda.
/// </summary>
internal static class TypeDependencies
{
    /// <summary>(the type that names, the type named), by full name, for every type defined in the assembly.</summary>
    public static HashSet<(string From, string To)> Read(string assemblyPath)
    {
        var pairs = new HashSet<(string, string)>();
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        foreach (var type in module.GetTypes())
        {
            var from = FullName(Outermost(type));
            foreach (var named in Named(type))
                foreach (var target in Expand(named))
                    if (target is not GenericParameter) pairs.Add((from, FullName(Outermost(target))));
        }
        return pairs;
    }

    /// <summary>The namespace a type belongs to (a nested type belongs to its outermost type's).</summary>
    public static string NamespaceOf(string fullName) => fullName.LastIndexOf('.') is var dot and > 0 ? fullName[..dot] : "";

    private static IEnumerable<TypeReference> Named(TypeDefinition type)
    {
        if (type.BaseType is not null) yield return type.BaseType;
        foreach (var i in type.Interfaces) yield return i.InterfaceType;
        foreach (var a in type.CustomAttributes) yield return a.AttributeType;
        foreach (var f in type.Fields) yield return f.FieldType;
        foreach (var p in type.Properties) yield return p.PropertyType;
        foreach (var e in type.Events) yield return e.EventType;
        foreach (var m in type.Methods)
        {
            yield return m.ReturnType;
            foreach (var p in m.Parameters) yield return p.ParameterType;
            foreach (var a in m.CustomAttributes) yield return a.AttributeType;
            if (!m.HasBody) continue;
            foreach (var v in m.Body.Variables) yield return v.VariableType;
            foreach (var instruction in m.Body.Instructions)
            {
                switch (instruction.Operand)
                {
                    case TypeReference t:
                        yield return t;
                        break;
                    case MethodReference method:
                        yield return method.DeclaringType;
                        yield return method.ReturnType;
                        foreach (var p in method.Parameters) yield return p.ParameterType;
                        if (method is GenericInstanceMethod generic)
                            foreach (var argument in generic.GenericArguments) yield return argument;
                        break;
                    case FieldReference field:
                        yield return field.DeclaringType;
                        yield return field.FieldType;
                        break;
                }
            }
        }
    }

    /// <summary>A constructed type names its parts: <c>List&lt;Segment&gt;[]</c> names List and Segment.</summary>
    private static IEnumerable<TypeReference> Expand(TypeReference type)
    {
        switch (type)
        {
            case GenericInstanceType generic:
                foreach (var part in Expand(generic.ElementType)) yield return part;
                foreach (var argument in generic.GenericArguments)
                    foreach (var part in Expand(argument)) yield return part;
                break;
            case TypeSpecification specification: // arrays, pointers, by-refs, modifiers
                foreach (var part in Expand(specification.ElementType)) yield return part;
                break;
            default:
                yield return type;
                break;
        }
    }

    private static TypeReference Outermost(TypeReference type)
    {
        while (type.DeclaringType is not null) type = type.DeclaringType;
        return type;
    }

    private static string FullName(TypeReference type)
    {
        var name = type.Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        if (tick >= 0) name = name[..tick];
        return string.IsNullOrEmpty(type.Namespace) ? name : $"{type.Namespace}.{name}";
    }
}
