import Foundation

/// A row id that says what it identifies: a `TypedID<IDKind.Ballot>` is not accepted where an
/// `TypedID<IDKind.Household>` is expected, though both are the same UUID in the database and in
/// JSON (a bare string). Used on the hot paths, where a call carries several ids at once: votes,
/// cases, persons and households.
public struct TypedID<Kind>: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UUID

    public init(rawValue: UUID) { self.rawValue = rawValue }
    public init(_ rawValue: UUID) { self.rawValue = rawValue }
    /// A new random id.
    public init() { rawValue = UUID() }

    public init?(uuidString: String) {
        guard let uuid = UUID(uuidString: uuidString) else { return nil }
        rawValue = uuid
    }

    public var uuidString: String { rawValue.uuidString }
    public var description: String { rawValue.uuidString }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(UUID.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// What a `TypedID` identifies (types with no values, used only as the tag).
public enum IDKind {
    public enum Ballot {}
    public enum Case {}
    public enum Person {}
    public enum Household {}
    public enum Elector {}
    public enum Owner {}
}

public typealias BallotID = TypedID<IDKind.Ballot>
public typealias CaseID = TypedID<IDKind.Case>
public typealias PersonID = TypedID<IDKind.Person>
public typealias HouseholdID = TypedID<IDKind.Household>
public typealias ElectorID = TypedID<IDKind.Elector>
public typealias OwnerID = TypedID<IDKind.Owner>
