/// The rule that slows down password guessing (登录限流): too many failures for one account or
/// from one address within a window lock further attempts for a while.
///
/// Pure: the caller keeps the counters (in the database) and passes the clock.
public struct LoginThrottlePolicy: Sendable, Equatable {
    /// Failures allowed inside the window before attempts are refused.
    public var maxFailures: Int
    /// Length of the counting window, seconds.
    public var windowSeconds: Int64
    /// How long attempts are refused once the limit is reached, seconds.
    public var lockSeconds: Int64

    public init(maxFailures: Int, windowSeconds: Int64, lockSeconds: Int64) {
        self.maxFailures = maxFailures
        self.windowSeconds = windowSeconds
        self.lockSeconds = lockSeconds
    }

    /// One account from one address: five attempts in fifteen minutes lock that pair for fifteen
    /// minutes (the sixth bad password in a row answers 429).
    public static let perAccount = LoginThrottlePolicy(maxFailures: 5, windowSeconds: 900, lockSeconds: 900)
    /// One account from anywhere: a higher bar, so that a guesser elsewhere cannot keep the real
    /// user (or the administrator) locked out from their own desk, yet a spread-out attack stops.
    public static let perAccountEverywhere = LoginThrottlePolicy(maxFailures: 50, windowSeconds: 900, lockSeconds: 900)
    /// Per address: a community office shares one address, so the bar is higher.
    public static let perAddress = LoginThrottlePolicy(maxFailures: 30, windowSeconds: 900, lockSeconds: 900)

    /// The counter as stored for one key.
    public struct Counter: Sendable, Equatable {
        public var windowStart: Int64
        public var failures: Int
        public var lockedUntil: Int64?
        public init(windowStart: Int64, failures: Int, lockedUntil: Int64?) {
            self.windowStart = windowStart
            self.failures = failures
            self.lockedUntil = lockedUntil
        }
    }

    /// Seconds the caller must still wait at `now`, or nil if an attempt is allowed.
    public func retryAfter(_ counter: Counter?, now: Int64) -> Int64? {
        guard let counter, let until = counter.lockedUntil, until > now else { return nil }
        return until - now
    }

    /// The counter after one more failure at `now`. A lock that is still running is not
    /// extended; a window or lock that has run out starts a fresh count.
    public func recordingFailure(_ counter: Counter?, now: Int64) -> Counter {
        if let counter, let until = counter.lockedUntil, until > now { return counter }
        var next: Counter
        if let counter, counter.lockedUntil == nil, now - counter.windowStart < windowSeconds {
            next = counter
            next.failures += 1
        } else {
            next = Counter(windowStart: now, failures: 1, lockedUntil: nil)
        }
        if next.failures >= maxFailures {
            next.lockedUntil = now + lockSeconds
        }
        return next
    }
}
