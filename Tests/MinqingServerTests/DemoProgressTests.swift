import Testing

@testable import MinqingDemo
@testable import MinqingServer

@Suite("Demo: progress on the console")
struct DemoProgressTests {
    @Test(
        "counted steps get a bar with their share; other steps are shown with the time only",
        arguments: [
            ("register: 15300/30600 households", "[████████████░░░░░░░░░░░░]  50%"),
            ("register: 30600/30600 households", "[████████████████████████] 100%"),
            ("register: 0/30600 households", "[░░░░░░░░░░░░░░░░░░░░░░░░]   0%")
        ])
    func bar(step: String, expected: String) {
        let line = DemoProgress.line(step, elapsed: 12.34)
        #expect(line.contains(expected))
        #expect(line.contains("12.3 s") && line.hasSuffix(step))
    }

    @Test("a step without a count has no bar")
    func plain() {
        let line = DemoProgress.line("closure written", elapsed: 0.5)
        #expect(!line.contains("[") && line.contains("0.5 s") && line.hasSuffix("closure written"))
    }
}
