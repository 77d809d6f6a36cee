import Foundation
import IdentityCore

/// Values for the user, flow and audit tests. Byte strings start with 0x00 and 0xff so a backend
/// that stores them as text fails the round trip.
extension Fixtures {
    /// A hash-shaped byte string, distinct per label.
    static func hash(_ label: String) -> [UInt8] {
        [0x00, 0xff] + Array(label.utf8)
    }

    static func user(tenantID: String = tenantID, objectID: String = ObjectID.make(), upn: String,
                     withTOTP: Bool = true) -> User {
        User(tenantID: tenantID, objectID: objectID, userPrincipalName: upn, displayName: "User \(upn)",
             givenName: withTOTP ? "Ada" : nil, familyName: withTOTP ? "Lovelace" : nil, accountEnabled: true,
             passwordHash: withTOTP ? "$scrypt$ln=17,r=8,p=1$c2FsdA$aGFzaA" : nil,
             totp: withTOTP ? TOTPEnrollment(secret: hash("totp-" + objectID), enrolledAt: date(10),
                                             lastAcceptedStep: 58_907_520) : nil,
             createdAt: epoch, passwordChangedAt: withTOTP ? date(5) : nil,
             signInSessionsValidFrom: withTOTP ? date(6.125) : nil)
    }

    static func deviceAuthorization(_ label: String = ObjectID.make(), userCode: String = "BCDFGHJK",
                                    createdAt: Date = epoch, lifetime: TimeInterval = 900) -> DeviceAuthorization {
        DeviceAuthorization(deviceCodeHash: hash("device-" + label), userCode: userCode, tenantID: tenantID,
                            clientID: "04b07795-8ddb-461a-bbee-02f9e1bf7b46",
                            scope: "6dae42f8-4368-4678-94ff-3960e28e3630/.default openid profile offline_access",
                            resource: "6dae42f8-4368-4678-94ff-3960e28e3630", endpointVersion: "v2",
                            createdAt: createdAt, expiresAt: createdAt.addingTimeInterval(lifetime), interval: 5,
                            requestAddress: "192.0.2.10", correlationID: "corr-" + label)
    }

    static func authorizationCode(_ label: String = ObjectID.make(), createdAt: Date = epoch,
                                  lifetime: TimeInterval = 300) -> AuthorizationCodeRecord {
        AuthorizationCodeRecord(codeHash: hash("code-" + label), tenantID: tenantID, clientID: "client",
                                redirectURI: "http://localhost:8000/callback", scope: "openid offline_access",
                                resource: "api://kubernetes", endpointVersion: "v2", codeChallenge: "challenge-" + label,
                                codeChallengeMethod: "S256", nonce: nil, userObjectID: "u-1",
                                authenticatedAt: createdAt, authenticationMethods: ["pwd", "mfa"], createdAt: createdAt,
                                expiresAt: createdAt.addingTimeInterval(lifetime), clientAddress: "192.0.2.20")
    }

    static func refreshToken(_ id: String = ObjectID.make(), familyID: String = "family-1",
                             tenantID: String = tenantID, userObjectID: String = "u-1", createdAt: Date = epoch,
                             lifetime: TimeInterval = 86_400 * 90,
                             state: RefreshTokenRecord.State = .active) -> RefreshTokenRecord {
        RefreshTokenRecord(id: id, tokenHash: hash("refresh-" + id), familyID: familyID, tenantID: tenantID,
                           clientID: "client", userObjectID: userObjectID, scope: "openid offline_access",
                           authenticatedAt: epoch, authenticationMethods: ["pwd"], createdAt: createdAt,
                           lastUsedAt: createdAt, expiresAt: createdAt.addingTimeInterval(lifetime), state: state)
    }

    static func auditEvent(_ id: String = ObjectID.make(), time: Date, tenantID: String? = tenantID,
                           kind: String = "token.issued", details: [String: String] = [:]) -> AuditEvent {
        AuditEvent(id: id, time: time, tenantID: tenantID, kind: kind, actor: "u-1", subject: nil, clientID: "client",
                   sourceAddress: "192.0.2.30", outcome: "success", details: details)
    }
}

/// What the tests' update closures throw to abort; the store must rethrow it unchanged.
struct Refused: Error, Equatable {
    var reason = "refused"
}

/// Runs `body(0..<count)` concurrently and returns every outcome (in completion order).
func concurrently<T: Sendable>(_ count: Int,
                               _ body: @escaping @Sendable (Int) async throws -> T) async -> [Result<T, any Error>] {
    await withTaskGroup(of: Result<T, any Error>.self) { group in
        for index in 0..<count {
            group.addTask {
                do {
                    return .success(try await body(index))
                } catch {
                    return .failure(error)
                }
            }
        }
        return await group.reduce(into: []) { $0.append($1) }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { error } else { nil }
    }
}
