import Foundation
import MinqingDomain
import SQLKit
import Testing
import VaporTesting

@testable import MinqingServer

/// Every number has a range: the OpenAPI document declares one for every integer or decimal a
/// request takes, and the server holds to it. Each such field of each API write is sent
/// Int64.max, Int64.min, -1, 0 and one past either bound, on top of a request that is otherwise
/// valid (the access matrix's own): never a 5xx, never a value outside the range accepted, and
/// the server still answers afterwards (an arithmetic trap would have stopped the process).
@Suite("Every number has a range; no number stops the server")
struct NumericExtremesTests {
    struct Field: CustomStringConvertible {
        var path: [String]
        var schema: [String: Any]
        var description: String { path.joined(separator: ".") }
        var isInteger: Bool { (schema["type"] as? String) == "integer" }
        var minimum: Double? { (schema["minimum"] as? NSNumber)?.doubleValue }
        var maximum: Double? { (schema["maximum"] as? NSNumber)?.doubleValue }
    }

    static func resolve(_ schema: [String: Any]) -> [String: Any] {
        if let ref = schema["$ref"] as? String, let name = ref.split(separator: "/").last,
            let target = OpenAPIDocument.schemas[String(name)] as? [String: Any]
        {
            return target
        }
        return schema
    }

    /// The numeric leaves of a request schema, with their paths (`[]` for an array's element).
    static func numericFields(_ schema: [String: Any], path: [String] = []) -> [Field] {
        let schema = resolve(schema)
        let type = schema["type"] as? String
        if type == "integer" || type == "number" { return [Field(path: path, schema: schema)] }
        if let properties = schema["properties"] as? [String: [String: Any]] {
            return properties.keys.sorted().flatMap { numericFields(properties[$0]!, path: path + [$0]) }
        }
        if type == "array", let items = schema["items"] as? [String: Any] { return numericFields(items, path: path + ["[]"]) }
        return []
    }

    /// A plausible value for a schema, to fill an object the probe's body does not have.
    static func sample(_ schema: [String: Any]) -> Any {
        let schema = resolve(schema)
        if let values = schema["enum"] as? [Any], let first = values.first { return first }
        switch schema["type"] as? String {
        case "integer", "number": return (schema["minimum"] as? NSNumber) ?? 1
        case "boolean": return false
        case "array": return [Any]()
        case "object":
            var object: [String: Any] = [:]
            let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
            for name in (schema["required"] as? [String] ?? []) { if let p = properties[name] { object[name] = sample(p) } }
            return object
        default:
            switch schema["format"] as? String {
            case "date": return "2026-06-01"
            case "date-time": return "2026-06-01T09:00:00Z"
            case "uuid": return UUID().uuidString
            default: return "x"
            }
        }
    }

    /// `body` with the field at `path` set to `value`, making the objects and one-element arrays
    /// on the way (from the schema) where the body has none.
    static func setting(_ body: [String: Any], _ path: ArraySlice<String>, to value: Any, schema: [String: Any]) -> [String: Any] {
        guard let key = path.first else { return body }
        var body = body
        let schema = resolve(schema)
        let properties = schema["properties"] as? [String: [String: Any]] ?? [:]
        let child = properties[key].map(resolve) ?? [:]
        if path.count == 1 { body[key] = value; return body }
        if path.dropFirst().first == "[]" {
            let itemSchema = resolve(child["items"] as? [String: Any] ?? [:])
            var items = body[key] as? [[String: Any]] ?? []
            if items.isEmpty { items = [sample(itemSchema) as? [String: Any] ?? [:]] }
            items[0] = setting(items[0], path.dropFirst(2), to: value, schema: itemSchema)
            body[key] = items
        } else {
            body[key] = setting(body[key] as? [String: Any] ?? (sample(child) as? [String: Any] ?? [:]), path.dropFirst(), to: value, schema: child)
        }
        return body
    }

    static func operation(_ probe: AccessMatrixTests.Probe) -> OpenAPIDocument.Operation? {
        let path = probe.route.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
        return OpenAPIDocument.operations.first { $0.method.uppercased() == probe.method.rawValue && $0.path == "/" + path }
    }

    @Test("every integer and decimal a request takes declares its minimum and maximum")
    func documented() {
        var missing: [String] = []
        for operation in OpenAPIDocument.operations {
            for field in Self.numericFields(operation.request ?? [:]) where field.minimum == nil || field.maximum == nil {
                missing.append("\(operation.method.uppercased()) \(operation.path) \(field)")
            }
        }
        #expect(missing == [])
        #expect(OpenAPIDocument.operations.reduce(0) { $0 + Self.numericFields($1.request ?? [:]).count } >= 35)
    }

    @Test("extremes posted to every numeric field: no 5xx, nothing out of range accepted, the server still answers")
    func extremes() async throws {
        try await withApp(demo: true) { app in
            let fixtures = try await AccessMatrixTests.addOutside(app)
            var clients: [String: TestClient] = [:]
            var counter = 10_000
            var tried = 0
            var fieldsSeen = Set<String>()
            for probe in AccessMatrixTests.probes where !probe.web && [.POST, .PUT, .PATCH].contains(probe.method) {
                guard let operation = Self.operation(probe), let request = operation.request else { continue }
                let fields = Self.numericFields(request)
                guard !fields.isEmpty else { continue }
                // The first role that may make the request inside its scope.
                guard let reach = AccessMatrixTests.reaches.first(where: { (200..<300).contains(probe.expected($0.role, .inside)) }) else { continue }
                let client: TestClient
                if let known = clients[reach.username] {
                    client = known
                } else {
                    client = TestClient(app)
                    try await client.signInAPI(reach.username)
                    clients[reach.username] = client
                }
                for field in fields {
                    fieldsSeen.insert("\(probe.method.rawValue) \(probe.route) \(field)")
                    let low = field.minimum ?? 0, high = field.maximum ?? 0
                    var values: [Any] =
                        field.isInteger
                        ? [Int64.max, Int64.min, Int64(-1), Int64(0), Int64(low) - 1, Int64(high) + 1]
                        : [1e300, -1e300, -1.0, 0.0, low - 1, high + 1]
                    if field.isInteger, high >= Double(Int64.max) { values.removeLast() }
                    for value in values {
                        counter += 1
                        let (path, body) = probe.request(reach, .inside, counter, fixtures)
                        let sent = Self.setting(body ?? [:], field.path[...], to: value, schema: request)
                        let response = try await client.jsonObject(probe.method, path, sent)
                        tried += 1
                        let number = (value as? Int64).map(Double.init) ?? (value as? Double) ?? 0
                        #expect(
                            response.status.code < 500,
                            "\(probe.method) \(path) \(field) = \(value) → \(response.status.code) \(response.body.string.prefix(200))")
                        if number < low || number > high {
                            #expect(
                                response.status.code >= 400,
                                "\(probe.method) \(path) \(field) = \(value) is outside \(low)…\(high) but answered \(response.status.code)")
                        }
                    }
                }
            }
            #expect(tried >= 150, "only \(tried) requests: the probes no longer reach the numeric fields")
            #expect(fieldsSeen.count >= 25)
            #expect(try await TestClient(app).get("/healthz").status == .ok)
        }
    }
}
