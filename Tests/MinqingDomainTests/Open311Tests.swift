import Foundation
import MinqingDomain
import Testing

@Suite("Open311 wire rules")
struct Open311Tests {
    @Test(
        "formats are chosen by the extension",
        arguments: [
            ("requests.json", "requests", Open311.Format.json), ("services.xml", "services", .xml), ("2026-000123.JSON", "2026-000123", .json)
        ])
    func format(_ component: String, _ name: String, _ format: Open311.Format) {
        let split = Open311.Format.split(component)
        #expect(split?.name == name)
        #expect(split?.format == format)
    }

    @Test("an unknown or missing extension is no format", arguments: ["requests", "requests.html", "requests.", ""])
    func noFormat(_ component: String) {
        #expect(Open311.Format.split(component) == nil)
    }

    @Test("W3C date-times are written at +08:00")
    func writeDateTime() {
        // 2026-03-06T02:00:00Z
        let date = Date(timeIntervalSince1970: 1_772_762_400)
        #expect(Open311.dateTime(date) == "2026-03-06T10:00:00+08:00")
        #expect(Open311.dateTime(date, offsetSeconds: 0) == "2026-03-06T02:00:00+00:00")
        #expect(Open311.dateTime(date, offsetSeconds: -5 * 3600) == "2026-03-05T21:00:00-05:00")
        #expect(Open311.dateTime(Date(timeIntervalSince1970: 0)) == "1970-01-01T08:00:00+08:00")
        // A leap day, and the last second of a year.
        #expect(Open311.dateTime(Date(timeIntervalSince1970: 1_709_164_800)) == "2024-02-29T08:00:00+08:00")
        #expect(Open311.dateTime(Date(timeIntervalSince1970: 1_767_225_599), offsetSeconds: 0) == "2025-12-31T23:59:59+00:00")
    }

    @Test(
        "W3C date-times are read with Z, offsets, fractions, or as Shanguai time when bare",
        arguments: [
            ("2026-03-06T02:00:00Z", 1_772_762_400.0), ("2026-03-06T10:00:00+08:00", 1_772_762_400), ("2026-03-05T21:00:00-05:00", 1_772_762_400),
            ("2026-03-06T10:00:00.123+0800", 1_772_762_400), ("2026-03-06T10:00+08:00", 1_772_762_400), ("2026-03-06T10:00:00", 1_772_762_400),
            ("2026-03-06", 1_772_726_400), ("2024-02-29T00:00:00Z", 1_709_164_800)
        ])
    func readDateTime(_ text: String, _ seconds: Double) {
        #expect(Open311.parseDateTime(text)?.timeIntervalSince1970 == seconds)
    }

    @Test(
        "what is not a W3C date-time is refused",
        arguments: [
            "2026-02-30", "2025-02-29T00:00:00Z", "2026-13-01", "2026-03-06T24:00:00Z", "2026-03-06T10:60Z", "2026/03/06", "yesterday",
            "2026-03-06T10:00:00+08:00x", "2026-03-06T10:00:00.Z", ""
        ])
    func badDateTime(_ text: String) {
        #expect(Open311.parseDateTime(text) == nil)
    }

    @Test("a date-time written is read back to the same second")
    func roundTrip() {
        var seed: UInt64 = 7
        for _ in 0..<500 {
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            let date = Date(timeIntervalSince1970: TimeInterval(Int64(seed >> 34) % 4_000_000_000))
            #expect(Open311.parseDateTime(Open311.dateTime(date)) == date)
        }
    }

    static let noise = Open311.Attribute(
        code: "time_of_day", datatype: .singlevaluelist, required: true, descriptionZH: "时段", descriptionEN: "When",
        values: [("day", "白天"), ("night", "夜间")])
    static let things = Open311.Attribute(
        code: "things", datatype: .multivaluelist, required: false, descriptionZH: "物品", descriptionEN: "What",
        values: [("a", "A"), ("b", "B"), ("c", "C")])
    static let depth = Open311.Attribute(code: "depth", datatype: .number, required: false, descriptionZH: "深度", descriptionEN: "Depth")
    static let since = Open311.Attribute(code: "since", datatype: .datetime, required: false, descriptionZH: "开始", descriptionEN: "Since")
    static let pole = Open311.Attribute(code: "pole", datatype: .string, required: false, descriptionZH: "杆号", descriptionEN: "Pole")
    static let note = Open311.Attribute(code: "note", datatype: .text, required: false, variable: false, descriptionZH: "提示", descriptionEN: "Note")
    static let all = [noise, things, depth, since, pole, note]

    @Test("good answers are kept, lists in the definition's order, once each")
    func goodAnswers() throws {
        let result = Open311.checkAttributes(
            [
                "time_of_day": ["night"], "things": ["c", "a", "c"], "depth": ["-12.5"],
                "since": ["2026-03-06T10:00:00+08:00"], "pole": [" 0231 "]
            ], against: Self.all)
        #expect(try result.get() == ["time_of_day": "night", "things": "a,c", "depth": "-12.5", "since": "2026-03-06T10:00:00+08:00", "pole": "0231"])
    }

    @Test(
        "bad answers name their attribute",
        arguments: [
            ([String: [String]](), ["attribute[time_of_day]"]),
            (["time_of_day": ["dusk"]], ["attribute[time_of_day]"]),
            (["time_of_day": ["day", "night"]], ["attribute[time_of_day]"]),
            (["time_of_day": ["day"], "things": ["d"]], ["attribute[things]"]),
            (["time_of_day": ["day"], "depth": ["12cm"]], ["attribute[depth]"]),
            (["time_of_day": ["day"], "depth": ["1e5"]], ["attribute[depth]"]),
            (["time_of_day": ["day"], "since": ["tomorrow"]], ["attribute[since]"]),
            (["time_of_day": ["day"], "pole": [String(repeating: "x", count: 201)]], ["attribute[pole]"]),
            (["time_of_day": ["day"], "colour": ["red"]], ["attribute[colour]"]),
            (["time_of_day": ["day"], "note": ["informational only"]], ["attribute[note]"]),
            (["depth": ["x"], "things": ["z"]], ["attribute[things]", "attribute[time_of_day]", "attribute[depth]"])
        ])
    func badAnswers(_ answers: [String: [String]], _ fields: [String]) {
        guard case .failure(let failure) = Open311.checkAttributes(answers, against: Self.all) else {
            Issue.record("accepted \(answers)")
            return
        }
        #expect(Set(failure.problems.map(\.field)) == Set(fields))
        #expect(failure.problems.allSatisfy { !$0.messageZH.isEmpty && !$0.messageEN.isEmpty })
    }

    @Test("a blank optional answer is no answer")
    func blankOptional() throws {
        #expect(try Open311.checkAttributes(["time_of_day": ["day"], "pole": ["  "]], against: Self.all).get() == ["time_of_day": "day"])
    }

    @Test("the default catalogue's attributes are well formed")
    func defaults() {
        #expect(!Open311.defaultAttributes.isEmpty)
        for (category, attributes) in Open311.defaultAttributes {
            #expect(Open311.isPublicCategory(category), "\(category) has attributes but is not offered")
            #expect(Set(attributes.map(\.code)).count == attributes.count)
            for a in attributes {
                let isList = a.datatype == .singlevaluelist || a.datatype == .multivaluelist
                #expect(isList == !a.values.isEmpty, "\(category).\(a.code)")
                #expect(Set(a.values.map(\.key)).count == a.values.count)
            }
        }
        #expect(!Open311.isPublicCategory("E0601"))
        #expect(!Open311.isPublicCategory("E0402"))
        #expect(Open311.isPublicCategory("C0102"))
    }

    @Test(
        "only what was handed in for the public is shown in detail",
        arguments: [
            ("app", true, false, true), ("grid_patrol", false, false, true), ("city_platform", false, false, true),
            ("app", false, false, false), ("resident_message", false, false, false), ("hotline_12345", false, false, false),
            ("visit", false, false, false), ("grid_patrol", false, true, false), ("app", true, true, false)
        ])
    func disclosure(_ channel: String, _ client: Bool, _ household: Bool, _ shown: Bool) {
        #expect(Open311.disclosesDetail(channel: channel, fromOpen311Client: client, householdLinked: household) == shown)
    }

    @Test(
        "micro-degrees print as decimal degrees",
        arguments: [
            (Int64(31_234_567), "31.234567"), (-122_421_204, "-122.421204"), (5, "0.000005"), (0, "0.000000"), (-1, "-0.000001")
        ])
    func degrees(_ e6: Int64, _ text: String) {
        #expect(Open311.degrees(e6: e6) == text)
    }

    @Test("one value tree, the same document in JSON and XML")
    func writers() {
        let value = Open311.Value.list(
            item: "request",
            [
                .object([
                    ("service_request_id", .string("2026-000001")), ("lat", .number("31.2")), ("metadata", .bool(true)), ("order", .int(2)),
                    ("account_id", .null), ("description", .string("A <b>&\"'\n楼道")),
                    ("formats", .list(item: "format", [.string("text/xml")]))
                ])
            ])
        #expect(
            Open311.write(value, root: "service_requests", as: .json)
                == #"[{"service_request_id":"2026-000001","lat":31.2,"metadata":true,"order":2,"account_id":null,"description":"A \u003cb>&\"'\n楼道","formats":["text/xml"]}]"#
        )
        #expect(
            Open311.write(value, root: "service_requests", as: .xml)
                == #"<?xml version="1.0" encoding="utf-8"?><service_requests><request><service_request_id>2026-000001</service_request_id><lat>31.2</lat><metadata>true</metadata><order>2</order><account_id/><description>A &lt;b&gt;&amp;&quot;&apos;"#
                + "\n" + #"楼道</description><formats><format>text/xml</format></formats></request></service_requests>"#)
    }

    @Test("characters XML cannot carry are dropped, JSON escapes them")
    func controlCharacters() {
        let value = Open311.Value.object([("d", .string("a\u{1}b"))])
        #expect(Open311.write(value, root: "x", as: .xml).hasSuffix("<x><d>ab</d></x>"))
        #expect(Open311.write(value, root: "x", as: .json) == #"{"d":"a\u0001b"}"#)
    }

    @Test("JSON escapes the line separators and passes other text through, Chinese punctuation included")
    func jsonText() {
        func json(_ text: String) -> String { Open311.write(.object([("d", .string(text))]), root: "x", as: .json) }
        #expect(json("甲\u{2028}乙\u{2029}") == #"{"d":"甲\u2028乙\u2029"}"#)
        #expect(json("“楼道”—堆物…") == #"{"d":"“楼道”—堆物…"}"#) // E2 80 9C / 9D / 94 / A6: not separators
        #expect(json("\u{1F}\t\r</script>") == #"{"d":"\u001f\t\r\u003c/script>"}"#)
        #expect(json("") == #"{"d":""}"#)
        #expect(json("末尾\\") == #"{"d":"末尾\\"}"#)
    }

    @Test("the error document")
    func errors() {
        #expect(Open311.errors([(403, "Invalid api_key")], as: .json) == #"[{"code":403,"description":"Invalid api_key"}]"#)
        #expect(
            Open311.errors([(404, "service_code not found")], as: .xml)
                == #"<?xml version="1.0" encoding="utf-8"?><errors><error><code>404</code><description>service_code not found</description></error></errors>"#
        )
    }
}
