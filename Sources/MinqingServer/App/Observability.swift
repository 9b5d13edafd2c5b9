import Metrics
import Prometheus
import Vapor

/// Metrics for `/metrics` in Prometheus' text format. swift-metrics is bootstrapped once per
/// process (tests build many applications), so the registry is process-wide. Vapor itself
/// records `http_requests_total` and `http_request_duration_seconds` through swift-metrics.
enum Observability {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    static func bootstrap() { _ = registry }

    static func loginAttempts(outcome: String) {
        Counter(label: "minqing_login_attempts_total", dimensions: [("outcome", outcome)]).increment()
    }

    static func auditAppends() {
        Counter(label: "minqing_audit_appends_total").increment()
    }

    static func render() -> Response {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "text/plain; version=0.0.4; charset=utf-8")
        return Response(status: .ok, headers: headers, body: .init(data: Data(buffer)))
    }
}
