extension HolidayCalendarFile {
    /// Why a holiday file was rejected: which year's file, which line, and what is wrong there.
    public struct Error: Swift.Error, Sendable, Equatable {
        /// What is wrong.
        public enum Reason: Sendable, Equatable {
            /// The year is outside 2...9999 (the file may reach into the previous December).
            case yearOutOfRange
            /// The file lists no day at all (likely truncated).
            case empty
            /// A line lacks its kind or its name; the form is `date kind name`.
            case incomplete
            /// The date field is not `YYYY-MM-DD` or `YYYY-MM-DD..YYYY-MM-DD` of existing days.
            case invalidDate(String)
            /// The kind is neither `rest` nor `work`.
            case unknownKind(String)
            /// A range ends before it begins.
            case reversedRange
            /// A range is longer than ``HolidayCalendarFile/longestRange`` days.
            case rangeTooLong(days: Int)
            /// A date outside the file's year and the last week of the previous December.
            case outsideYear(CivilDate)
            /// A day already listed on an earlier line.
            case listedTwice(CivilDate, firstLine: Int)
            /// A `work` day that is a weekday (only a weekend day can be a make-up working day).
            case workDayNotWeekend(CivilDate)
        }

        /// The year of the file.
        public var year: Int
        /// The 1-based line, or nil for a problem with the whole file.
        public var line: Int?
        public var reason: Reason

        public init(year: Int, line: Int?, reason: Reason) {
            self.year = year
            self.line = line
            self.reason = reason
        }

        /// Simplified Chinese message, e.g. `cn-2026.txt 第 3 行：调休上班日 2026-02-16 不是周末`.
        public var messageZH: String {
            let place = HolidayCalendarFile.fileName(for: year) + (line.map { " 第 \($0) 行" } ?? "")
            let detail: String
            switch reason {
            case .yearOutOfRange: detail = "年份应在 2 至 9999 之间"
            case .empty: detail = "文件中没有任何日期"
            case .incomplete: detail = "应为“日期 类型 名称”，如 2026-02-14 work 春节调休"
            case .invalidDate(let text): detail = "日期“\(text)”应为 YYYY-MM-DD 或 YYYY-MM-DD..YYYY-MM-DD"
            case .unknownKind(let text): detail = "类型“\(text)”应为 rest（放假）或 work（调休上班）"
            case .reversedRange: detail = "日期范围的结束早于开始"
            case .rangeTooLong(let days): detail = "日期范围共 \(days) 天，超过 \(HolidayCalendarFile.longestRange) 天"
            case .outsideYear(let date): detail = "日期 \(date) 不在 \(year) 年内，也不在上一年 12 月的最后 7 天"
            case .listedTwice(let date, let firstLine): detail = "日期 \(date) 已在第 \(firstLine) 行列出"
            case .workDayNotWeekend(let date): detail = "调休上班日 \(date) 不是周末"
            }
            return place + "：" + detail
        }

        /// English message, e.g. `cn-2026.txt line 3: the make-up working day 2026-02-16 is not a weekend day.`
        public var messageEN: String {
            let place = HolidayCalendarFile.fileName(for: year) + (line.map { " line \($0)" } ?? "")
            let detail: String
            switch reason {
            case .yearOutOfRange: detail = "the year must be between 2 and 9999."
            case .empty: detail = "the file lists no dates."
            case .incomplete: detail = "a line must read `date kind name`, e.g. 2026-02-14 work Spring Festival make-up day."
            case .invalidDate(let text): detail = "“\(text)” must be YYYY-MM-DD or YYYY-MM-DD..YYYY-MM-DD."
            case .unknownKind(let text): detail = "the kind “\(text)” must be rest or work."
            case .reversedRange: detail = "the range ends before it begins."
            case .rangeTooLong(let days):
                detail = "the range covers \(days) days, more than \(HolidayCalendarFile.longestRange)."
            case .outsideYear(let date): detail = "\(date) is neither in \(year) nor in the last 7 days of the December before."
            case .listedTwice(let date, let firstLine): detail = "\(date) is already listed on line \(firstLine)."
            case .workDayNotWeekend(let date): detail = "the make-up working day \(date) is not a weekend day."
            }
            return place + ": " + detail
        }
    }
}

extension HolidayCalendarFile.Error: CustomStringConvertible {
    /// The English message (for logs and start-up failures).
    public var description: String { messageEN }
}
