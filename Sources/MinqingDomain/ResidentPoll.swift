import Foundation

/// The rules of a resident poll (要投票): a non-binding consultation, unlike an owners' ballot.
public enum ResidentPollRules {
    /// Who has one vote.
    public enum Unit: String, Sendable, Hashable, Codable, CaseIterable {
        /// 一人一票: every resident account.
        case person
        /// 一户一票: one vote per household, whoever in it casts it first.
        case household

        public var nameZH: String { self == .person ? "一人一票" : "一户一票" }
        public var nameEN: String { self == .person ? "One vote per person" : "One vote per household" }
    }

    /// Whether who voted for what is kept.
    public enum Secrecy: String, Sendable, Hashable, Codable, CaseIterable {
        /// 记名: the vote row names the voter.
        case open
        /// 不记名: the roll of who voted and the ballot box are kept apart; nothing links them.
        case secret

        public var nameZH: String { self == .open ? "记名投票" : "不记名投票" }
        public var nameEN: String { self == .open ? "Open vote" : "Secret vote" }
    }

    /// Options a poll may offer.
    public static let optionCount = 2...12
    /// Longest title and option text, in characters.
    public static let maxTitleLength = 200
    public static let maxOptionLength = 100

    /// Why a poll was rejected.
    public enum Error: Swift.Error, Sendable, Equatable, FieldErrorConvertible {
        case badTitle
        case badOptionCount
        case badOption
        case duplicateOption

        public var fieldError: FieldError {
            switch self {
            case .badTitle:
                FieldError(
                    field: "title", messageZH: "标题不能为空，且不超过 \(ResidentPollRules.maxTitleLength) 字",
                    messageEN: "The title must not be empty or longer than \(ResidentPollRules.maxTitleLength) characters.")
            case .badOptionCount:
                FieldError(
                    field: "options", messageZH: "选项应为 \(ResidentPollRules.optionCount.lowerBound) 至 \(ResidentPollRules.optionCount.upperBound) 个",
                    messageEN: "A poll needs \(ResidentPollRules.optionCount.lowerBound) to \(ResidentPollRules.optionCount.upperBound) options.")
            case .badOption:
                FieldError(
                    field: "options", messageZH: "选项不能为空，且不超过 \(ResidentPollRules.maxOptionLength) 字",
                    messageEN: "An option must not be empty or longer than \(ResidentPollRules.maxOptionLength) characters.")
            case .duplicateOption:
                FieldError(field: "options", messageZH: "选项不能重复", messageEN: "Options must differ.")
            }
        }
    }

    /// The title and options trimmed and checked.
    public static func validate(title: String, options: [String]) throws(ResidentPollRules.Error) -> (title: String, options: [String]) {
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty, title.count <= maxTitleLength else { throw .badTitle }
        let options = options.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        guard optionCount.contains(options.count) else { throw .badOptionCount }
        guard options.allSatisfy({ $0.count <= maxOptionLength }) else { throw .badOption }
        guard Set(options).count == options.count else { throw .duplicateOption }
        return (title, options)
    }
}

/// What part of a compound an owners' ballot is decided by (Shanghai residential property rules
/// art. 69: a part shared by some owners only is decided by those owners alone).
public enum OwnersBallotScope: String, Sendable, Hashable, Codable, CaseIterable {
    /// 全体业主: the whole compound.
    case compound
    /// 本幢: one building.
    case building
    /// 本单元: one stairwell of one building.
    case stairwell

    public var nameZH: String {
        switch self {
        case .compound: "全小区业主"
        case .building: "本幢业主"
        case .stairwell: "本单元业主"
        }
    }

    public var nameEN: String {
        switch self {
        case .compound: "Owners of the whole compound"
        case .building: "Owners of the building"
        case .stairwell: "Owners of the stairwell"
        }
    }
}
