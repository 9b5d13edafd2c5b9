import Testing

@testable import MinqingDomain

@Suite("LoginThrottlePolicy (登录限流)")
struct LoginThrottleTests {
    typealias Counter = LoginThrottlePolicy.Counter
    static let policy = LoginThrottlePolicy.perAccount
    static let t0: Int64 = 1_700_000_000

    /// Records one failure at each of `times`, starting from `start`.
    static func fail(_ policy: LoginThrottlePolicy = policy, at times: [Int64], from start: Counter? = nil) -> Counter? {
        var counter = start
        for t in times { counter = policy.recordingFailure(counter, now: t) }
        return counter
    }

    /// A counter locked by five failures at t0 … t0+4, so locked until t0+4+900.
    static let locked = fail(at: (0..<5).map { t0 + $0 })!
    static let lockEnd = t0 + 4 + 900

    @Test("the presets")
    func presets() {
        #expect(LoginThrottlePolicy.perAccount == LoginThrottlePolicy(maxFailures: 5, windowSeconds: 900, lockSeconds: 900))
        #expect(LoginThrottlePolicy.perAddress == LoginThrottlePolicy(maxFailures: 30, windowSeconds: 900, lockSeconds: 900))
    }

    static let upToLock: [(n: Int, lockedUntil: Int64?)] = [
        (1, nil),
        (2, nil),
        (3, nil),
        (4, nil),
        (5, t0 + 4 + 900) // the 5th failure (at t0+4) sets lockedUntil = its time + lockSeconds
    ]

    @Test("n failures in the window: count n, locked from the 5th", arguments: upToLock)
    func countsUpToLock(n: Int, lockedUntil: Int64?) throws {
        let counter = try #require(Self.fail(at: (0..<Int64(n)).map { Self.t0 + $0 }))
        #expect(counter == Counter(windowStart: Self.t0, failures: n, lockedUntil: lockedUntil))
        #expect((Self.policy.retryAfter(counter, now: Self.t0 + Int64(n) - 1) != nil) == (n >= 5))
    }

    @Test("the first failure starts a window at now")
    func firstFailure() {
        #expect(Self.policy.recordingFailure(nil, now: 42) == Counter(windowStart: 42, failures: 1, lockedUntil: nil))
    }

    static let countdown: [(now: Int64, expected: Int64?)] = [
        (lockEnd - 900, 900),
        (lockEnd - 600, 600),
        (lockEnd - 1, 1),
        (lockEnd, nil),
        (lockEnd + 1, nil),
        (lockEnd + 86_400, nil)
    ]

    @Test("retryAfter counts down and is nil once the lock has run out", arguments: countdown)
    func retryAfter(now: Int64, expected: Int64?) {
        #expect(Self.policy.retryAfter(Self.locked, now: now) == expected)
    }

    @Test(
        "retryAfter is nil without a counter or without a lock",
        arguments: [
            nil as Counter?,
            Counter(windowStart: t0, failures: 4, lockedUntil: nil),
            Counter(windowStart: t0, failures: 0, lockedUntil: nil)
        ])
    func retryAfterUnlocked(counter: Counter?) {
        #expect(Self.policy.retryAfter(counter, now: Self.t0 + 1) == nil)
    }

    static let windowCases: [(offset: Int64, failures: Int, lockedUntil: Int64?, windowStart: Int64)] = [
        (5, 5, t0 + 5 + 900, t0),
        (899, 5, t0 + 899 + 900, t0),
        (900, 1, nil, t0 + 900),
        (901, 1, nil, t0 + 901),
        (10_000, 1, nil, t0 + 10_000)
    ]

    @Test(
        "a 5th failure inside the window locks; one at or past the window's end starts over",
        arguments: windowCases)
    func window(offset: Int64, failures: Int, lockedUntil: Int64?, windowStart: Int64) throws {
        let four = try #require(Self.fail(at: (0..<4).map { Self.t0 + $0 }))
        let next = Self.policy.recordingFailure(four, now: Self.t0 + offset)
        #expect(next == Counter(windowStart: windowStart, failures: failures, lockedUntil: lockedUntil))
    }

    @Test(
        "failures during a running lock change nothing",
        arguments: [
            Int64(5), 100, 899, 903 // offsets from t0; the lock runs until t0+904
        ])
    func lockNotExtended(offset: Int64) {
        let after = Self.policy.recordingFailure(Self.locked, now: Self.t0 + offset)
        #expect(after == Self.locked)
        #expect(Self.policy.retryAfter(after, now: Self.t0 + offset) == Self.lockEnd - (Self.t0 + offset))
    }

    @Test("many failures during a lock still leave it ending on time")
    func hammeringDuringLock() throws {
        let after = try #require(Self.fail(at: (5..<900).map { Self.t0 + $0 }, from: Self.locked))
        #expect(after.lockedUntil == Self.lockEnd)
        #expect(Self.policy.retryAfter(after, now: Self.lockEnd) == nil)
    }

    @Test(
        "after the lock has run out the count restarts at 1",
        arguments: [
            lockEnd, lockEnd + 1, lockEnd + 3_600
        ])
    func restartAfterLock(now: Int64) {
        let next = Self.policy.recordingFailure(Self.locked, now: now)
        #expect(next == Counter(windowStart: now, failures: 1, lockedUntil: nil))
        #expect(Self.policy.retryAfter(next, now: now) == nil)
    }

    /// With the presets the window has always run out by the time the lock does; with a lock
    /// shorter than the window the count must still restart after the lock, not carry on and
    /// lock again at the very next failure.
    static let shortLocks: [LoginThrottlePolicy] = [
        LoginThrottlePolicy(maxFailures: 5, windowSeconds: 3_600, lockSeconds: 60),
        LoginThrottlePolicy(maxFailures: 3, windowSeconds: 86_400, lockSeconds: 1),
        LoginThrottlePolicy(maxFailures: 30, windowSeconds: 900, lockSeconds: 300)
    ]

    @Test("a lock shorter than the window: after it the count restarts at 1", arguments: shortLocks)
    func restartInsideWindow(policy: LoginThrottlePolicy) throws {
        let times = (0..<Int64(policy.maxFailures)).map { Self.t0 + $0 }
        let locked = try #require(Self.fail(policy, at: times))
        let end = try #require(locked.lockedUntil)
        #expect(end == times.last! + policy.lockSeconds)
        #expect(end - locked.windowStart < policy.windowSeconds) // still inside the window
        let next = policy.recordingFailure(locked, now: end)
        #expect(next == Counter(windowStart: end, failures: 1, lockedUntil: nil))
        #expect(policy.retryAfter(next, now: end) == nil)
    }

    @Test("after the lock, five more failures lock again")
    func relock() throws {
        let again = try #require(Self.fail(at: (0..<5).map { Self.lockEnd + $0 }, from: Self.locked))
        #expect(again == Counter(windowStart: Self.lockEnd, failures: 5, lockedUntil: Self.lockEnd + 4 + 900))
    }

    @Test(
        "perAddress allows 29 failures and locks at the 30th",
        arguments: [
            (29, false),
            (30, true)
        ])
    func perAddress(n: Int, locked: Bool) throws {
        let policy = LoginThrottlePolicy.perAddress
        let counter = try #require(Self.fail(policy, at: (0..<Int64(n)).map { Self.t0 + $0 }))
        #expect(counter.failures == n)
        let now = Self.t0 + Int64(n) - 1
        #expect((counter.lockedUntil != nil) == locked)
        #expect(policy.retryAfter(counter, now: now) == (locked ? 900 : nil))
        // perAccount would have locked long before.
        #expect(Self.fail(at: (0..<Int64(n)).map { Self.t0 + $0 })?.lockedUntil != nil)
    }
}
