import MinqingDomain
import Testing

@Suite("Staff development: attendance rate, training and rotation checks")
struct StaffDevelopmentTests {
    @Test(
        "attendance rate: present over everyone recorded, rounded half up; excused is an absence; nobody recorded has no rate",
        arguments: [(3, 1, 0, 75), (2, 1, 1, 50), (2, 0, 1, 67), (1, 2, 0, 33), (1, 7, 0, 13), (0, 0, 1, 0), (5, 0, 0, 100), (1, 1, 0, 50)])
    func rate(present: Int, absent: Int, excused: Int, percent: Int) {
        #expect(AttendanceRate(present: present, absent: absent, excused: excused).percent == percent)
    }

    @Test func nobodyRecorded() {
        #expect(AttendanceRate(present: 0, absent: 0, excused: 0).percent == nil)
    }

    @Test("hours shown from minutes", arguments: [(60, "1"), (90, "1.5"), (45, "0.75"), (180, "3"), (100, "1.67"), (2400, "40"), (15, "0.25")])
    func hours(minutes: Int, shown: String) {
        #expect(StaffDevelopmentRules.hours(minutes: minutes) == shown)
    }

    @Test func trainingLength() {
        #expect(StaffDevelopmentRules.checkTraining(minutes: nil).map(\.field) == ["minutes"])
        #expect(StaffDevelopmentRules.checkTraining(minutes: 14).map(\.field) == ["minutes"])
        #expect(StaffDevelopmentRules.checkTraining(minutes: 15).isEmpty && StaffDevelopmentRules.checkTraining(minutes: 2400).isEmpty)
        #expect(StaffDevelopmentRules.checkTraining(minutes: 2401).map(\.field) == ["minutes"])
    }

    @Test func rotationDates() throws {
        let start = try CivilDate(parsing: "2026-03-01")
        #expect(StaffDevelopmentRules.checkRotation(starts: start, ends: start).map(\.field) == ["ends_on"])
        #expect(StaffDevelopmentRules.checkRotation(starts: start, ends: try CivilDate(parsing: "2027-02-28")).isEmpty)
        #expect(StaffDevelopmentRules.checkRotation(starts: start, ends: try CivilDate(parsing: "2029-03-01")).isEmpty)
        #expect(StaffDevelopmentRules.checkRotation(starts: start, ends: try CivilDate(parsing: "2029-03-05")).map(\.field) == ["ends_on"])
    }
}
