import Foundation
import Hummingbird
import HummingbirdTesting
import IdentityTesting
import Testing

@Suite("Health and unknown routes")
struct HealthRoutesTests {
    @Test func healthzIs200WhenTheStoreAndAKeyAreThere() async throws {
        let harness = try await HTTPHarness.make()
        try await harness.run { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(response.jsonObject as? [String: String] == ["status": "ok"])
        }
    }

    @Test func unknownPathsAre404WithoutInternals() async throws {
        let harness = try await HTTPHarness.make()
        try await harness.run { client in
            let response = try await client.execute(uri: "/contoso/oauth2/v2.0/nothing", method: .get)
            #expect(response.status == .notFound)
            #expect(response.jsonObject["error"] as? String == "not_found")
        }
    }
}
