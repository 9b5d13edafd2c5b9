import Testing

@testable import MinqingDomain

private func row(_ line: Int, _ fields: String...) -> CSVRow { CSVRow(line: line, fields: fields) }

@Suite("CSVTable (CSV 导入导出)")
struct CSVTableTests {
    struct ParseCase: Sendable, CustomTestStringConvertible {
        var label: String
        var text: String
        var header: [String]
        var rows: [CSVRow]
        var testDescription: String { label }
    }

    @Test(
        "parses records, line ends, quotes and line numbers",
        arguments: [
            ParseCase(label: "CRLF", text: "a,b\r\n1,2\r\n3,4\r\n", header: ["a", "b"], rows: [row(2, "1", "2"), row(3, "3", "4")]),
            ParseCase(label: "LF", text: "a,b\n1,2\n3,4\n", header: ["a", "b"], rows: [row(2, "1", "2"), row(3, "3", "4")]),
            ParseCase(label: "lone CR", text: "a,b\r1,2\r3,4\r", header: ["a", "b"], rows: [row(2, "1", "2"), row(3, "3", "4")]),
            ParseCase(
                label: "mixed line ends", text: "a,b\r\n1,2\n3,4\r5,6", header: ["a", "b"],
                rows: [row(2, "1", "2"), row(3, "3", "4"), row(4, "5", "6")]),
            ParseCase(label: "no final line end", text: "a,b\n1,2", header: ["a", "b"], rows: [row(2, "1", "2")]),
            ParseCase(
                label: "BOM", text: "\u{FEFF}姓名,身份证号\r\n张三,11010519491231002X\r\n", header: ["姓名", "身份证号"],
                rows: [row(2, "张三", "11010519491231002X")]),
            ParseCase(label: "BOM only at the start is dropped", text: "\u{FEFF}a\n\u{FEFF}x\n", header: ["a"], rows: [row(2, "\u{FEFF}x")]),
            ParseCase(label: "trailing empty lines", text: "a\n1\n\n\r\n\r", header: ["a"], rows: [row(2, "1")]),
            ParseCase(
                label: "blank lines skipped, numbering kept", text: "a,b\n\n1,2\n\r\n3,4\n", header: ["a", "b"],
                rows: [row(3, "1", "2"), row(5, "3", "4")]),
            ParseCase(label: "blank lines before the header", text: "\n\r\na,b\n1,2", header: ["a", "b"], rows: [row(4, "1", "2")]),
            ParseCase(label: "header only", text: "a,b\r\n", header: ["a", "b"], rows: []),
            ParseCase(
                label: "comma, quote and LF inside quotes",
                text: "name,addr\n\"张三\",\"北京市, 朝阳区\"\n\"李\"\"四\",\"第一行\n第二行\"\nwang,x\n",
                header: ["name", "addr"],
                rows: [row(2, "张三", "北京市, 朝阳区"), row(3, "李\"四", "第一行\n第二行"), row(5, "wang", "x")]),
            ParseCase(
                label: "CRLF inside quotes is one line", text: "a\r\n\"x\r\ny\"\r\nz\r\n", header: ["a"],
                rows: [row(2, "x\r\ny"), row(4, "z")]),
            ParseCase(
                label: "lone CR inside quotes is one line", text: "a\r\"x\ry\"\rz", header: ["a"],
                rows: [row(2, "x\ry"), row(4, "z")]),
            ParseCase(
                label: "several line breaks in one field", text: "a,b\n1,\"\n\n\r\n\"\n2,3\n", header: ["a", "b"],
                rows: [row(2, "1", "\n\n\r\n"), row(6, "2", "3")]),
            ParseCase(label: "quotes only", text: "a,b\n\"\"\"\",\"\"\"\"\"\"\n", header: ["a", "b"], rows: [row(2, "\"", "\"\"")]),
            ParseCase(
                label: "whitespace around fields kept", text: "a , b \n 1 , 2 \n\t3\t,\u{3000}4\u{3000}\n", header: ["a", "b"],
                rows: [row(2, " 1 ", " 2 "), row(3, "\t3\t", "\u{3000}4\u{3000}")]),
            ParseCase(
                label: "header names trimmed", text: "\u{3000}姓名\u{3000},\t手机号 ,\" 地址 \"\n1,2,3\n", header: ["姓名", "手机号", "地址"],
                rows: [row(2, "1", "2", "3")]),
            ParseCase(
                label: "empty fields", text: "a,b,c\n,,\n1,,3\n\"\",\"\",\n", header: ["a", "b", "c"],
                rows: [row(2, "", "", ""), row(3, "1", "", "3"), row(4, "", "", "")]),
            ParseCase(label: "one column: quoted empty field is a record", text: "a\n\"\"\n", header: ["a"], rows: [row(2, "")]),
            ParseCase(label: "one column: spaces are a record", text: "a\n  \n", header: ["a"], rows: [row(2, "  ")]),
            ParseCase(
                label: "characters beyond the BMP and clusters", text: "名字,备注\n𠀀𪚥,👨‍👩‍👧\n", header: ["名字", "备注"],
                rows: [row(2, "𠀀𪚥", "👨‍👩‍👧")]),
            ParseCase(
                label: "apostrophes and formula text are data", text: "a,b\n'=1+1,=SUM(A1)\n", header: ["a", "b"],
                rows: [row(2, "'=1+1", "=SUM(A1)")])
        ])
    func parses(_ parseCase: ParseCase) throws {
        let table = try CSVTable(parsing: parseCase.text)
        #expect(table.header == parseCase.header)
        #expect(table.rows == parseCase.rows)
    }

    @Test(
        "damaged files are refused with the line to look at",
        arguments: [
            ("", CSVTable.Error.empty),
            ("\u{FEFF}", .empty),
            ("\n\r\n\r", .empty),
            ("a,b\n1,\"2\n", .unterminatedQuote(line: 2)),
            ("a,b\n1,\"x\ny\nz", .unterminatedQuote(line: 2)),
            ("\"a,b\n", .unterminatedQuote(line: 1)),
            ("a,b\n\"x\ny\",1\n\"z", .unterminatedQuote(line: 4)),
            ("a,b\n1,2\n3,x\"y\n", .quoteInUnquotedField(line: 3, column: 2)),
            ("a,b\n \"x\",1\n", .quoteInUnquotedField(line: 2, column: 1)),
            ("a,b\nx\",1\n", .quoteInUnquotedField(line: 2, column: 1)),
            ("a,b\n\"x\"y,1\n", .textAfterClosingQuote(line: 2, column: 1)),
            ("a,b\n1,\"x\" \n", .textAfterClosingQuote(line: 2, column: 2)),
            ("a,b\n1,\"x\n\"y\n", .textAfterClosingQuote(line: 3, column: 2)),
            ("a,b\n1,2,3\n", .wrongFieldCount(line: 2, expected: 2, found: 3)),
            ("a,b\n1\n", .wrongFieldCount(line: 2, expected: 2, found: 1)),
            ("a,b\n1,2\n1,2,\n", .wrongFieldCount(line: 3, expected: 2, found: 3)),
            ("a,b\n\"x\ny\",1\n\n1,2,3", .wrongFieldCount(line: 5, expected: 2, found: 3)),
            ("a,b\r\n1,2\r\n   \r\n", .wrongFieldCount(line: 3, expected: 2, found: 1)),
            ("a,,b\n", .emptyHeaderName(line: 1, column: 2)),
            ("a, \n", .emptyHeaderName(line: 1, column: 2)),
            ("\"\"\n1\n", .emptyHeaderName(line: 1, column: 1)),
            ("a,b,a\n", .duplicateHeaderName("a", line: 1, firstColumn: 1, column: 3)),
            ("姓名, 姓名 \n", .duplicateHeaderName("姓名", line: 1, firstColumn: 1, column: 2)),
            ("\n\nx,y,y\n", .duplicateHeaderName("y", line: 3, firstColumn: 2, column: 3))
        ])
    func refused(text: String, expected: CSVTable.Error) {
        #expect(throws: expected) { try CSVTable(parsing: text) }
    }

    @Test(
        "errors become field errors on file that name the line",
        arguments: [
            (CSVTable.Error.empty, "文件是空的", "The file is empty"),
            (.unterminatedQuote(line: 7), "第7行", "Line 7:"),
            (.quoteInUnquotedField(line: 3, column: 2), "第3行第2列", "Line 3, column 2"),
            (.textAfterClosingQuote(line: 4, column: 1), "第4行第1列", "Line 4, column 1"),
            (.wrongFieldCount(line: 12, expected: 5, found: 6), "第12行：应有5列（与表头相同），实有6列", "Line 12: expected 5 fields (as in the header), found 6"),
            (.emptyHeaderName(line: 1, column: 3), "第1行（表头）第3列", "Line 1 (header), column 3"),
            (.duplicateHeaderName("姓名", line: 2, firstColumn: 1, column: 4), "列名“姓名”重复出现在第1列和第4列", "“姓名” appears in both column 1 and column 4")
        ])
    func fieldErrors(error: CSVTable.Error, zh: String, en: String) {
        let fieldError = error.fieldError
        #expect(fieldError.field == "file")
        #expect(fieldError.messageZH.contains(zh))
        #expect(fieldError.messageEN.contains(en))
    }

    @Test(
        "line of each error",
        arguments: [
            (CSVTable.Error.empty, 1),
            (.unterminatedQuote(line: 7), 7),
            (.wrongFieldCount(line: 12, expected: 5, found: 6), 12),
            (.duplicateHeaderName("a", line: 3, firstColumn: 1, column: 2), 3)
        ])
    func line(error: CSVTable.Error, line: Int) {
        #expect(error.line == line)
    }
}

@Suite("CSVTable.write (CSV 导出)")
struct CSVTableWriteTests {
    @Test("BOM, CRLF after every record, commas between fields")
    func layout() {
        let text = CSVTable.write(header: ["姓名", "年龄"], rows: [["张三", "80"], ["李四", ""]])
        #expect(text == "\u{FEFF}姓名,年龄\r\n张三,80\r\n李四,\r\n")
        #expect(Array(text.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
    }

    @Test("no rows: the header alone")
    func headerOnly() {
        #expect(CSVTable.write(header: ["a", "b"], rows: []) == "\u{FEFF}a,b\r\n")
    }

    @Test(
        "fields are quoted only when they must be, and guarded against formulas",
        arguments: [
            ("plain", "plain"),
            ("北京市朝阳区", "北京市朝阳区"),
            ("", ""),
            (" padded ", " padded "),
            ("x,y", "\"x,y\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("\"", "\"\"\"\""),
            ("line\nbreak", "\"line\nbreak\""),
            ("line\r\nbreak", "\"line\r\nbreak\""),
            ("a\rb", "\"a\rb\""),
            ("北京市，朝阳区", "北京市，朝阳区"), // a full-width comma is no separator
            ("it's", "it's"),
            ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
            ("=1+1", "'=1+1"),
            ("+1", "'+1"),
            ("+8613800138000", "'+8613800138000"),
            ("-1+2", "'-1+2"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("\rx", "\"'\rx\""),
            ("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""),
            ("-12", "-12"),
            ("-3.5", "-3.5"),
            ("-0", "-0"),
            ("-1234567890.0987654321", "-1234567890.0987654321"),
            ("-", "'-"),
            ("--1", "'--1"),
            ("-.5", "'-.5"),
            ("-5.", "'-5."),
            ("-1.2.3", "'-1.2.3"),
            ("-1e5", "'-1e5"),
            ("-12abc", "'-12abc"),
            ("-１２", "'-１２"), // full-width digits are not a number
            ("-1,5", "\"'-1,5\""),
            ("1-2", "1-2"),
            ("a=b", "a=b"),
            (" =1", " =1"),
            ("＝1", "＝1"),
            ("\n=1", "\"\n=1\""),
            ("'=1", "'=1")
        ])
    func encoded(field: String, written: String) {
        #expect(CSVTable.encodedField(field) == written)
        let text = CSVTable.write(header: ["h", "i"], rows: [[field, "z"]])
        #expect(text == "\u{FEFF}h,i\r\n" + written + ",z\r\n")
    }

    @Test("a record of one empty field is written as two quotes, so it survives reading")
    func singleEmptyField() throws {
        let text = CSVTable.write(header: ["备注"], rows: [[""], ["x"], [""]])
        #expect(text == "\u{FEFF}备注\r\n\"\"\r\nx\r\n\"\"\r\n")
        let table = try CSVTable(parsing: text)
        #expect(table.rows == [CSVRow(line: 2, fields: [""]), CSVRow(line: 3, fields: ["x"]), CSVRow(line: 4, fields: [""])])
    }

    /// The physical line each record starts on when written: one line per record plus every line
    /// break inside its fields (CRLF counting once).
    static func expectedLines(_ rows: [[String]]) -> [Int] {
        var line = 2
        return rows.map { fields in
            defer { line += 1 + fields.map(lineBreaks).reduce(0, +) }
            return line
        }
    }

    static func lineBreaks(_ field: String) -> Int {
        var count = 0
        var afterCR = false
        for scalar in field.unicodeScalars {
            if scalar == "\n", afterCR { afterCR = false; continue }
            if scalar == "\n" || scalar == "\r" { count += 1 }
            afterCR = scalar == "\r"
        }
        return count
    }

    static let awkwardTables: [[[String]]] = [
        [
            ["姓名", "地址", "备注"],
            ["张三", "北京市, 朝阳区", "说\"你好\""],
            ["李四", "第一行\n第二行", ""],
            ["", "", ""],
            ["王五", "a\r\nb\rc\nd", "  空格  "],
            ["赵六", "\"", "\"\""],
            ["👨‍👩‍👧", "𠀀", "-12"],
            ["\n", "x\r", "\n\r\n"], // (a leading CR would get the formula guard)
            ["'quoted'", "x,", ",y"]
        ],
        [["only"], [""], ["a"], ["\n\r\n"], [""], ["b,c"]],
        [["a", "b"]]
    ]

    @Test("write then parse gives back the same table, with the right line numbers", arguments: awkwardTables)
    func roundTrip(table: [[String]]) throws {
        let header = table[0], rows = Array(table.dropFirst())
        let parsed = try CSVTable(parsing: CSVTable.write(header: header, rows: rows))
        #expect(parsed.header == header)
        #expect(parsed.rows.map(\.fields) == rows)
        #expect(parsed.rows.map(\.line) == Self.expectedLines(rows))
    }

    @Test("the expected-line helper counts CRLF, LF and CR once each")
    func expectedLinesHelper() {
        #expect(Self.expectedLines([["a"], ["b\r\nc"], ["d\ne\rf"], ["g"]]) == [2, 3, 5, 8])
    }

    @Test("formula-guarded fields read back with their apostrophe")
    func guardedRoundTrip() throws {
        let rows = [["=1+1", "+86", "@x", "-x", "-12", "\tt"]]
        let parsed = try CSVTable(parsing: CSVTable.write(header: ["a", "b", "c", "d", "e", "f"], rows: rows))
        #expect(parsed.rows == [CSVRow(line: 2, fields: ["'=1+1", "'+86", "'@x", "'-x", "-12", "'\tt"])])
    }

    @Test("100,000 generated records parse correctly, line numbers included")
    func large() throws {
        let count = 100_000
        var rows: [[String]] = []
        rows.reserveCapacity(count)
        for i in 0..<count {
            switch i % 7 {
            case 0: rows.append(["\(i)", "张\(i)", "多行\n备注\r\n第三行"])
            case 1: rows.append(["\(i)", "李\"\(i)\"", "北京市, 朝阳区"])
            case 2: rows.append(["\(i)", "", ""])
            case 3: rows.append(["\(i)", "-\(i)", "CR\rhere"])
            default: rows.append(["\(i)", "王\(i)", "普通"])
            }
        }
        let text = CSVTable.write(header: ["序号", "姓名", "备注"], rows: rows)
        let table = try CSVTable(parsing: text)
        #expect(table.header == ["序号", "姓名", "备注"])
        try #require(table.rows.count == count)

        let lines = Self.expectedLines(rows)
        var wrongFields = 0, wrongLines = 0
        for (i, parsed) in table.rows.enumerated() {
            if parsed.fields != rows[i] { wrongFields += 1 }
            if parsed.line != lines[i] { wrongLines += 1 }
        }
        #expect(wrongFields == 0)
        #expect(wrongLines == 0)
        // Records 0, 7, 14, … hold two line breaks and records 3, 10, … one: 3 lines per 7 records.
        #expect(table.rows.last?.line == 2 + (count - 1) + 2 * 14_286 + 14_286)
    }

    @Test("a large file with one bad record near the end names its line")
    func largeWithError() {
        var text = "a,b\n"
        for i in 0..<100_000 { text += "\(i),\"x\ny\"\n" }
        text += "1,2,3\n"
        #expect(throws: CSVTable.Error.wrongFieldCount(line: 200_002, expected: 2, found: 3)) {
            try CSVTable(parsing: text)
        }
    }
}
