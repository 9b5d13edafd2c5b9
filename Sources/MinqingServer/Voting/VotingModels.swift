import Foundation
import MinqingDomain
import Vapor

/// The state of an owners' ballot or a poll.
package enum BallotStatus: String, Codable, Sendable, CaseIterable {
    /// 草稿: set up, electorate not yet taken.
    case draft
    /// 投票中
    case open
    /// 已结束: no vote can change any more.
    case closed

    var nameZH: String {
        switch self {
        case .draft: "草稿";
        case .open: "投票中";
        case .closed: "已结束"
        }
    }
    var nameEN: String {
        switch self {
        case .draft: "Draft";
        case .open: "Open";
        case .closed: "Closed"
        }
    }
}

/// How a vote reached the ballot box.
package enum VoteChannel: String, Codable, Sendable, CaseIterable {
    /// 线上: the owner, signed in with the account bound to their owner record.
    case online
    /// 委托代理: a proxy, recorded by staff with the reference of the written authorisation.
    case proxy
    /// 纸质表决票: entered by staff with the reference of the scanned sheet.
    case paper

    var nameZH: String {
        switch self {
        case .online: "线上";
        case .proxy: "委托代理";
        case .paper: "纸质表决票"
        }
    }
    var nameEN: String {
        switch self {
        case .online: "Online";
        case .proxy: "Proxy";
        case .paper: "Paper"
        }
    }
}

// MARK: API input

package struct NewBallotInput: Content {
    package var compound_id: UUID?
    package var building_id: UUID?
    package var stairwell: String?
    package var title: String?
    package var description: String?
    package var rule_code: String?
    /// ISO 8601 instant.
    package var closes_at: Date?
    package var results_live: Bool?

    package init(
        compound_id: UUID? = nil, building_id: UUID? = nil, stairwell: String? = nil, title: String? = nil, description: String? = nil,
        rule_code: String? = nil, closes_at: Date? = nil, results_live: Bool? = nil
    ) {
        self.compound_id = compound_id
        self.building_id = building_id
        self.stairwell = stairwell
        self.title = title
        self.description = description
        self.rule_code = rule_code
        self.closes_at = closes_at
        self.results_live = results_live
    }
}

package struct CastInput: Content {
    package var choice: String?
    /// Needed when the caller may vote for more than one elector (e.g. their own flat and one
    /// held jointly), and always for proxy and paper votes.
    package var elector_id: UUID?
    /// `online` (default), `proxy`, `paper`.
    package var channel: String?
    package var proxy_name: String?
    package var authorisation_ref: String?
    package var paper_ref: String?

    package init(
        choice: String? = nil, elector_id: UUID? = nil, channel: String? = nil, proxy_name: String? = nil, authorisation_ref: String? = nil,
        paper_ref: String? = nil
    ) {
        self.choice = choice
        self.elector_id = elector_id
        self.channel = channel
        self.proxy_name = proxy_name
        self.authorisation_ref = authorisation_ref
        self.paper_ref = paper_ref
    }
}

struct OwnerLinkInput: Content {
    var owner_id: UUID?
    /// What staff checked: the property certificate or contract seen, the owner present or the
    /// authorisation. Required; never an ID number.
    var proof: String?
}

struct NewPollInput: Content {
    var node: String?
    var title: String?
    var description: String?
    var options: [String]?
    var unit: String?
    var secrecy: String?
    var closes_at: Date?
    var results_live: Bool?
}

struct PollVoteInput: Content {
    var option_id: UUID?
}

// MARK: rows

/// A row of one id: what `RETURNING id` and the existence checks of the voting code decode.
package struct IDRow: Decodable, Sendable { package var id: UUID }

// MARK: API output

struct Created: Content { var id: UUID }

struct BallotSummary: Content, Sendable {
    var id: BallotID
    var title: String
    var compound_id: UUID
    var compound_name: String
    var building_id: UUID?
    var building_name: String?
    var stairwell: String?
    var scope_kind: OwnersBallotScope
    var rule_code: String
    var status: BallotStatus
    var closes_at: Date
    var outcome: OwnersVoteTally.Outcome?
}

struct Turnout: Content, Sendable {
    var total_area_cm2: Int64
    var total_heads: Int64
    var voted_area_cm2: Int64
    var voted_heads: Int64
}

/// One elector in the published per-owner record (owners' votes are open votes).
struct ElectorRecord: Content, Sendable {
    var elector_id: ElectorID
    var label: String
    var is_developer: Bool
    var area_cm2: Int64
    var heads: Int64
    var dwellings: [String]
    var choice: OwnersVoteChoice?
    var channel: VoteChannel?
}

struct BallotDetail: Content, Sendable {
    var ballot: BallotSummary
    var description: String
    var rule: OwnersVoteRuleSet
    var results_live: Bool
    var opened_at: Date?
    var closed_at: Date?
    var turnout: Turnout?
    /// Present once closed, or while open when the ballot says results are live.
    var tally: OwnersVoteTally?
    var published_on: String?
    var appeal_deadline: String?
    /// The electors the caller may vote for (an owner's own), with their vote if cast.
    var my_electors: [ElectorRecord]
    /// The per-owner record, once closed.
    var record: [ElectorRecord]?
    /// Years from publication to the appeal deadline whose holidays are derived (no notice
    /// published: make-up days unknown), for the page's warning; set by `noting(_:)`.
    var derived_calendar_years: [Int] = []
}

extension BallotDetail {
    /// The ballot with the derived years its appeal deadline rests on noted (`PlatformCalendar`).
    func noting(_ calendar: WorkingCalendar) -> BallotDetail {
        var copy = self
        copy.derived_calendar_years = PlatformCalendar.derivedYears(
            start: published_on.flatMap { try? CivilDate(parsing: $0) },
            deadlines: [appeal_deadline.flatMap { try? CivilDate(parsing: $0) }], calendar: calendar)
        return copy
    }
}

struct PollSummary: Content, Sendable {
    var id: UUID
    var title: String
    var node_code: String
    var node_name: String
    var unit: ResidentPollRules.Unit
    var secrecy: ResidentPollRules.Secrecy
    var status: BallotStatus
    var closes_at: Date
}

struct PollOptionResult: Content, Sendable {
    var id: UUID
    var label: String
    var votes: Int64?
}

struct PollDetail: Content, Sendable {
    var poll: PollSummary
    var description: String
    var results_live: Bool
    var options: [PollOptionResult]
    var voters: Int64
    var i_voted: Bool
    var may_vote: Bool
    /// Who voted what, for an open poll once results show; never for a secret one.
    var open_record: [OpenPollVote]?
}

/// The owner-binding page's data (绑定业主身份): owners in scope found by name (first 30) and
/// the newest 50 bindings of accounts in scope, people by name.
struct OwnerSearch: Content, Sendable {
    var q: String
    var owners: [VotingQueries.OwnerHit]
    var bindings: [VotingQueries.OwnerBinding]
}

struct OpenPollVote: Content, Sendable {
    var voter: String
    var option: String
}

extension OwnersVoteRuleSet: Content {}
extension OwnersVoteTally: Content {}
/// An elector still to vote, as the ballot page's entry form lists it (`GET …/ballots/{id}/electors`).
extension VotingQueries.ElectorChoice: Content {}
