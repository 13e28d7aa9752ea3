/// The health of one external key manager instance.
public enum XKSHealthStatus: String, Codable, Sendable, Hashable, CaseIterable {
    case active = "ACTIVE"
    case degraded = "DEGRADED"
    case unavailable = "UNAVAILABLE"
}
