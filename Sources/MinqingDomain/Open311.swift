import Foundation

/// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) as pure rules: the response
/// formats, W3C date-times, service attribute types and their checks, what a public listing may
/// disclose, and one value tree written out as either JSON or XML, so the two formats cannot
/// drift apart.
public enum Open311 {
    /// The two formats of the specification, chosen by the path's extension (`requests.json`).
    public enum Format: String, Sendable, CaseIterable {
        case json, xml

        public var contentType: String { self == .json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8" }

        /// Splits `requests.json` into `("requests", .json)`; nil when the extension is neither.
        public static func split(_ component: String) -> (name: String, format: Format)? {
            guard let dot = component.lastIndex(of: ".") else { return nil }
            guard let format = Format(rawValue: String(component[component.index(after: dot)...]).lowercased()) else { return nil }
            return (String(component[..<dot]), format)
        }
    }

    /// The longest window `GET requests` answers in one call, and the default one (the 90 days
    /// before `end_date` or now), as the specification suggests.
    public static let maxWindowDays = 90
    /// The most requests one `GET requests` answers (the specification's suggested 1000).
    public static let maxRequests = 1000

    // MARK: - W3C date-times

    /// `2026-03-06T10:00:00+08:00`: the W3C profile of ISO 8601 the specification uses, written
    /// at a fixed offset (Shanghai's +08:00 by default).
    public static func dateTime(_ date: Date, offsetSeconds: Int = 8 * 3600) -> String {
        let local = Int64((date.timeIntervalSince1970).rounded(.down)) + Int64(offsetSeconds)
        let days = Int(floorDiv(local, 86_400))
        let secondsOfDay = Int(local - Int64(days) * 86_400)
        let (y, m, d) = civil(fromDays: days)
        let off = abs(offsetSeconds)
        // Written by hand into 25 bytes: a list of 1000 requests writes 3000 of these, and
        // String(format:) (or appending piece by piece) is slow.
        guard (0...9999).contains(y) else {
            return String(
                format: "%d-%02d-%02dT%02d:%02d:%02d%@%02d:%02d", y, m, d, secondsOfDay / 3600,
                secondsOfDay / 60 % 60, secondsOfDay % 60, offsetSeconds < 0 ? "-" : "+", off / 3600, off / 60 % 60)
        }
        var bytes = [UInt8](repeating: 0, count: 25)
        func put(_ n: Int, at start: Int, width: Int) {
            var v = n
            for k in stride(from: start + width - 1, through: start, by: -1) { bytes[k] = UInt8(48 + v % 10); v /= 10 }
        }
        put(y, at: 0, width: 4); bytes[4] = 0x2D; put(m, at: 5, width: 2); bytes[7] = 0x2D; put(d, at: 8, width: 2); bytes[10] = 0x54
        put(secondsOfDay / 3600, at: 11, width: 2); bytes[13] = 0x3A; put(secondsOfDay / 60 % 60, at: 14, width: 2); bytes[16] = 0x3A
        put(secondsOfDay % 60, at: 17, width: 2); bytes[19] = offsetSeconds < 0 ? 0x2D : 0x2B
        put(off / 3600, at: 20, width: 2); bytes[22] = 0x3A; put(off / 60 % 60, at: 23, width: 2)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads a W3C date-time: `YYYY-MM-DD`, or `YYYY-MM-DDThh:mm[:ss[.fff]]` with `Z` or `±hh:mm`
    /// (a value without an offset is read at `defaultOffsetSeconds`, Shanghai time). Nil when it is
    /// not one, or names a day or time that does not exist.
    public static func parseDateTime(_ text: String, defaultOffsetSeconds: Int = 8 * 3600) -> Date? {
        let s = Array(text.trimmingSpaces().utf8)
        var i = 0
        func digits(_ n: Int) -> Int? {
            guard i + n <= s.count else { return nil }
            var v = 0
            for k in i..<(i + n) {
                guard s[k] >= 48, s[k] <= 57 else { return nil }
                v = v * 10 + Int(s[k] - 48)
            }
            i += n
            return v
        }
        func expect(_ c: UInt8) -> Bool { guard i < s.count, s[i] == c else { return false }; i += 1; return true }
        guard let y = digits(4), expect(45), let m = digits(2), expect(45), let d = digits(2) else { return nil }
        guard (1...12).contains(m), d >= 1, d <= daysIn(month: m, year: y) else { return nil }
        var hour = 0, minute = 0, second = 0
        var offset = defaultOffsetSeconds
        if i < s.count {
            guard expect(84) || expect(32) else { return nil } // 'T' or ' '
            guard let h = digits(2), expect(58), let mi = digits(2) else { return nil }
            hour = h; minute = mi
            if i < s.count, s[i] == 58 { i += 1; guard let sec = digits(2) else { return nil }; second = sec }
            if i < s.count, s[i] == 46 { // fraction, ignored
                i += 1
                let start = i
                while i < s.count, s[i] >= 48, s[i] <= 57 { i += 1 }
                guard i > start else { return nil }
            }
            guard hour < 24, minute < 60, second < 60 else { return nil }
            if i < s.count {
                if expect(90) {
                    offset = 0
                } // 'Z'
                else {
                    guard i < s.count, s[i] == 43 || s[i] == 45 else { return nil }
                    let negative = s[i] == 45
                    i += 1
                    guard let oh = digits(2) else { return nil }
                    if i < s.count, s[i] == 58 { i += 1 }
                    guard let om = digits(2), oh < 24, om < 60 else { return nil }
                    offset = (oh * 3600 + om * 60) * (negative ? -1 : 1)
                }
            }
            guard i == s.count else { return nil }
        }
        let days = Int64(daysFromCivil(y, m, d))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    // MARK: - Service attributes (service definitions)

    /// The attribute data types of the specification.
    public enum Datatype: String, Sendable, CaseIterable, Codable {
        case string, number, datetime, text, singlevaluelist, multivaluelist
    }

    /// One attribute of a service definition, as data.
    public struct Attribute: Sendable, Equatable {
        public var code: String
        public var datatype: Datatype
        public var required: Bool
        /// `variable`: false for an informational attribute that takes no answer.
        public var variable: Bool
        public var descriptionZH: String
        public var descriptionEN: String
        /// The allowed values of a list, `(key, name)`.
        public var values: [(key: String, name: String)]

        public init(
            code: String, datatype: Datatype, required: Bool, variable: Bool = true, descriptionZH: String, descriptionEN: String,
            values: [(key: String, name: String)] = []
        ) {
            self.code = code; self.datatype = datatype; self.required = required; self.variable = variable
            self.descriptionZH = descriptionZH; self.descriptionEN = descriptionEN; self.values = values
        }

        public static func == (a: Attribute, b: Attribute) -> Bool {
            a.code == b.code && a.datatype == b.datatype && a.required == b.required && a.variable == b.variable
                && a.descriptionZH == b.descriptionZH && a.descriptionEN == b.descriptionEN
                && a.values.map(\.key) == b.values.map(\.key) && a.values.map(\.name) == b.values.map(\.name)
        }
    }

    /// What is wrong with an answer, in Chinese and English (the field is `attribute[CODE]`).
    public struct AttributeProblem: Error, Equatable, Sendable {
        public var code: String
        public var messageZH: String
        public var messageEN: String
        public var field: String { "attribute[\(code)]" }
    }

    /// Checks the answers to a service's attributes (`attribute[CODE]` form fields; a
    /// multivaluelist may repeat), and returns them normalised, one stored string per attribute
    /// (list keys joined by commas). Every problem at once; unknown attribute codes are refused.
    public static func checkAttributes(_ answers: [String: [String]], against attributes: [Attribute]) -> Result<[String: String], AttributeProblems>
    {
        var problems: [AttributeProblem] = []
        var out: [String: String] = [:]
        let known = Dictionary(attributes.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        for code in answers.keys.sorted() where known[code] == nil || known[code]?.variable == false {
            problems.append(AttributeProblem(code: code, messageZH: "该服务没有这一属性", messageEN: "This service has no such attribute"))
        }
        for attribute in attributes where attribute.variable {
            let given = (answers[attribute.code] ?? []).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            if given.isEmpty {
                if attribute.required {
                    problems.append(
                        AttributeProblem(
                            code: attribute.code, messageZH: "必填：\(attribute.descriptionZH)",
                            messageEN: "Required: \(attribute.descriptionEN)"))
                }
                continue
            }
            func bad(_ zh: String, _ en: String) { problems.append(AttributeProblem(code: attribute.code, messageZH: zh, messageEN: en)) }
            switch attribute.datatype {
            case .string, .text, .number, .datetime:
                guard given.count == 1, let value = given.first else { bad("只能填一个值", "Give one value"); continue }
                switch attribute.datatype {
                case .string where value.count > 200: bad("不超过 200 字", "At most 200 characters")
                case .text where value.count > 2000: bad("不超过 2000 字", "At most 2000 characters")
                case .number where Decimal(string: value, locale: Locale(identifier: "en_US_POSIX")) == nil || !isPlainNumber(value):
                    bad("须为数字", "Must be a number")
                case .datetime where parseDateTime(value) == nil:
                    bad("须为日期时间，如 2026-03-06T10:00:00+08:00", "Must be a W3C date-time such as 2026-03-06T10:00:00+08:00")
                default: out[attribute.code] = value
                }
            case .singlevaluelist, .multivaluelist:
                let keys = Set(attribute.values.map(\.key))
                if attribute.datatype == .singlevaluelist && given.count != 1 { bad("只能选一项", "Choose one value"); continue }
                let unknown = given.filter { !keys.contains($0) }
                if !unknown.isEmpty { bad("不是可选的值", "Not one of the listed values"); continue }
                // Keep the definition's order, once each.
                let chosen = attribute.values.map(\.key).filter(Set(given).contains)
                out[attribute.code] = chosen.joined(separator: ",")
            }
        }
        return problems.isEmpty ? .success(out) : .failure(AttributeProblems(problems: problems))
    }

    public struct AttributeProblems: Error, Equatable, Sendable { public var problems: [AttributeProblem] }

    private static func isPlainNumber(_ s: String) -> Bool {
        var sawDigit = false, sawDot = false
        for (n, c) in s.enumerated() {
            if c == "-" || c == "+" { if n != 0 { return false }; continue }
            if c == "." { if sawDot { return false }; sawDot = true; continue }
            guard c.isASCII, c.isNumber else { return false }
            sawDigit = true
        }
        return sawDigit && s.count <= 30
    }

    /// The attributes Minqing's default catalogue asks for, by 小类 code (copied once into
    /// `case_category_attributes` by a migration; data from then on).
    public static let defaultAttributes: [String: [Attribute]] = [
        "C0101": [
            Attribute(
                code: "hazard", datatype: .singlevaluelist, required: true, descriptionZH: "井盖情况", descriptionEN: "State of the cover",
                values: [("missing", "缺失 / missing"), ("broken", "破损 / broken"), ("loose", "松动 / loose")])
        ],
        "C0102": [
            Attribute(
                code: "pole_number", datatype: .string, required: false, descriptionZH: "灯杆编号（杆上喷涂的号码）",
                descriptionEN: "Pole number (painted on the pole)"),
            Attribute(
                code: "lights_out", datatype: .singlevaluelist, required: true, descriptionZH: "不亮的范围", descriptionEN: "How many are out",
                values: [("one", "一盏 / one light"), ("several", "几盏 / several lights"), ("street", "整条路 / the whole street")])
        ],
        "E0101": [
            Attribute(
                code: "amount", datatype: .singlevaluelist, required: false, descriptionZH: "垃圾数量", descriptionEN: "How much rubbish",
                values: [("bag", "几袋 / a few bags"), ("pile", "一堆 / a pile"), ("truck", "需要清运车 / a truckload")])
        ],
        "E0102": [
            Attribute(
                code: "materials", datatype: .multivaluelist, required: false, descriptionZH: "堆放的东西（可多选）",
                descriptionEN: "What is piled (choose any)",
                values: [
                    ("construction", "建筑垃圾 / construction waste"), ("furniture", "旧家具 / old furniture"),
                    ("goods", "商品货物 / goods"), ("other", "其他 / other")
                ])
        ],
        "E0203": [
            Attribute(
                code: "time_of_day", datatype: .singlevaluelist, required: true, descriptionZH: "发生时段", descriptionEN: "When it happens",
                values: [("day", "白天 06:00–22:00 / daytime"), ("night", "夜间 22:00–06:00 / at night")]),
            Attribute(
                code: "source", datatype: .singlevaluelist, required: false, descriptionZH: "噪声来源", descriptionEN: "Source of the noise",
                values: [
                    ("construction", "施工 / construction"), ("business", "商铺经营 / a business"), ("traffic", "交通 / traffic"),
                    ("other", "其他 / other")
                ])
        ],
        "E0302": [Attribute(code: "started_at", datatype: .datetime, required: false, descriptionZH: "开始时间", descriptionEN: "When it started")],
        "E0701": [
            Attribute(code: "depth_cm", datatype: .number, required: false, descriptionZH: "积水深度（厘米）", descriptionEN: "Depth of the water (cm)"),
            Attribute(
                code: "note", datatype: .text, required: false, variable: false,
                descriptionZH: "如有人员被困请立即拨打 110 / 119", descriptionEN: "If anybody is trapped, call 110 or 119 at once")
        ]
    ]

    /// Sub-categories not offered to Open311 clients nor listed publicly: personal matters
    /// (community services: hardship, disputes, older people; a leaking home) go through 要留言,
    /// where only the resident and the staff see them.
    public static func isPublicCategory(_ code: String) -> Bool {
        !(code.hasPrefix("E06") || code == "E0402")
    }

    /// Integer micro-degrees as a decimal degree literal: `31234567` → `31.234567`.
    public static func degrees(e6 value: Int64) -> String {
        let negative = value < 0
        let magnitude = value.magnitude
        let fraction = String(magnitude % 1_000_000)
        return (negative ? "-" : "") + String(magnitude / 1_000_000) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    // MARK: - Disclosure

    /// Whether a public listing may show a case's own words, exact place and picture: only when
    /// the reporter handed it in for the public (an Open311 client, a grid patrol, the city
    /// platform) and it concerns no household. Otherwise the listing shows the category's name as
    /// the description and the grid node as the place: a resident's message, a hotline call or a
    /// visit finding stays between the resident and the staff (PIPL: minimum necessary).
    public static func disclosesDetail(channel: String, fromOpen311Client: Bool, householdLinked: Bool) -> Bool {
        guard !householdLinked else { return false }
        if fromOpen311Client { return true }
        return publicChannels.contains(channel)
    }

    /// The channels whose cases are handed in for the public (besides Open311 clients' own).
    /// The public list applies `disclosesDetail` in SQL from this same set.
    public static let publicChannels: [String] = ["grid_patrol", "city_platform"]

    // MARK: - One value tree, two formats

    /// A response body: JSON and XML are both written from this.
    public indirect enum Value: Sendable, Equatable {
        case string(String)
        case int(Int)
        case bool(Bool)
        /// A number written as given (JSON number; XML text), e.g. a latitude `31.234567`.
        case number(String)
        case null
        /// Members in order (JSON object; XML child elements).
        case object([(String, Value)])
        /// A list: JSON array; in XML each item is an element named `item`.
        case list(item: String, [Value])

        public static func == (a: Value, b: Value) -> Bool {
            switch (a, b) {
            case let (.string(x), .string(y)): x == y
            case let (.int(x), .int(y)): x == y
            case let (.bool(x), .bool(y)): x == y
            case let (.number(x), .number(y)): x == y
            case (.null, .null): true
            case let (.object(x), .object(y)): x.count == y.count && zip(x, y).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
            case let (.list(i, x), .list(j, y)): i == j && x == y
            default: false
            }
        }

        public static func optional(_ s: String?) -> Value { s.map(Value.string) ?? .null }
    }

    /// Writes `value` as the format asks; `root` names the XML document element (the
    /// specification's `service_requests`, `services`, `service_definition`, `discovery`, `errors`).
    public static func write(_ value: Value, root: String, as format: Format) -> String {
        switch format {
        case .json:
            return String(decoding: jsonBytes(value), as: UTF8.self)
        case .xml:
            var out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
            xml(value, name: root, into: &out)
            return out
        }
    }

    /// The JSON form as UTF-8 bytes (what the HTTP answer carries; `write` wraps it in a String).
    public static func jsonBytes(_ value: Value) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4_096)
        json(value, into: &out)
        return out
    }

    private static func json(_ value: Value, into out: inout [UInt8]) {
        switch value {
        case .string(let s): jsonString(s, into: &out)
        case .int(let n): out.append(contentsOf: String(n).utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.utf8)
        case .null: out.append(contentsOf: "null".utf8)
        case .object(let members):
            out.append(0x7B) // {
            for (n, (key, member)) in members.enumerated() {
                if n > 0 { out.append(0x2C) }
                jsonString(key, into: &out)
                out.append(0x3A)
                json(member, into: &out)
            }
            out.append(0x7D)
        case .list(_, let items):
            out.append(0x5B) // [
            for (n, item) in items.enumerated() {
                if n > 0 { out.append(0x2C) }
                json(item, into: &out)
            }
            out.append(0x5D)
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func jsonString(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        // One pass over the bytes: runs that need no escaping are appended whole. U+2028 and
        // U+2029 (E2 80 A8 / A9) are escaped for JavaScript; other bytes ≥ 0x80 are copied.
        s.withUTF8 { bytes in
            var run = 0, i = 0
            func flush(_ end: Int) { if end > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<end])) } }
            while i < bytes.count {
                let b = bytes[i]
                var escaped: [UInt8]?
                var width = 1
                switch b {
                case 0x22: escaped = [0x5C, 0x22]
                case 0x5C: escaped = [0x5C, 0x5C]
                case 0x0A: escaped = [0x5C, 0x6E]
                case 0x0D: escaped = [0x5C, 0x72]
                case 0x09: escaped = [0x5C, 0x74]
                case 0x3C: escaped = Array("\\u003c".utf8) // safe inside HTML too
                case 0x00..<0x20: escaped = Array("\\u00".utf8) + [hexDigits[Int(b >> 4)], hexDigits[Int(b & 0xF)]]
                case 0xE2 where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                    escaped = Array((bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8); width = 3
                default: break
                }
                if let escaped {
                    flush(i)
                    out.append(contentsOf: escaped)
                    run = i + width
                }
                i += width
            }
            flush(bytes.count)
        }
        out.append(0x22)
    }

    private static func xml(_ value: Value, name: String, into out: inout String) {
        switch value {
        case .null: out += "<\(name)/>"
        case .string(let s): out += "<\(name)>"; xmlText(s, into: &out); out += "</\(name)>"
        case .int(let n): out += "<\(name)>\(n)</\(name)>"
        case .bool(let b): out += "<\(name)>\(b ? "true" : "false")</\(name)>"
        case .number(let n): out += "<\(name)>"; xmlText(n, into: &out); out += "</\(name)>"
        case .object(let members):
            out += "<\(name)>"
            for (key, member) in members { xml(member, name: key, into: &out) }
            out += "</\(name)>"
        case .list(let item, let items):
            out += "<\(name)>"
            for element in items { xml(element, name: item, into: &out) }
            out += "</\(name)>"
        }
    }

    private static func xmlText(_ s: String, into out: inout String) {
        // Most strings need no escaping and hold no character XML refuses: append them whole.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 == 0xEF }) {
            out += s
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // Characters XML 1.0 cannot carry are dropped rather than producing a broken document.
                let v = scalar.value
                if v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) || v >= 0x10000 {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
    }

    /// A top-level response that is a list: in XML the list element is the document element.
    public static func writeList(_ items: [Value], root: String, item: String, as format: Format) -> String {
        write(.list(item: item, items), root: root, as: format)
    }

    /// The specification's error document: `<errors><error><code>…</code><description>…</description></error></errors>`
    /// or `[{"code":…,"description":"…"}]`.
    public static func errors(_ list: [(code: Int, description: String)], as format: Format) -> String {
        writeList(
            list.map { .object([("code", .int($0.code)), ("description", .string($0.description))]) }, root: "errors", item: "error", as: format)
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian, no Foundation calendars)

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { a >= 0 ? a / b : -((-a + b - 1) / b) }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's algorithm).
    private static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
