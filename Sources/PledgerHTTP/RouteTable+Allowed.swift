import HTTPTypes
import Hummingbird

extension RouteTable {
    /// The methods the route table has for `path` (templates' `{id}` segments match any one segment),
    /// in the table's order; empty when no route has that path.
    static func allowedMethods(for path: String) -> [HTTPRequest.Method] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var methods: [HTTPRequest.Method] = []
        for (method, template) in api + open {
            let parts = template.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == segments.count,
                zip(parts, segments).allSatisfy({ $0.0 == $0.1 || ($0.0.hasPrefix("{") && !$0.1.isEmpty) }),
                !methods.contains(method)
            else { continue }
            methods.append(method)
        }
        return methods
    }
}
