import Foundation
import IdentityCore
import Testing

extension StoreConformanceTests {
    /// A setting is nil until set, then the last value set; writing one is not a directory write.
    @Test(arguments: StoreBackend.available)
    func settingsAreNilUntilSetThenTheLastValue(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            #expect(try await store.setting(.issuerURL) == nil)
            let version = try await store.directoryVersion()
            try await store.setSetting(.issuerURL, to: "https://idp.example.test:9443")
            #expect(try await store.setting(.issuerURL) == "https://idp.example.test:9443")
            try await store.setSetting(.issuerURL, to: "https://127.0.0.1:8443/é")
            #expect(try await store.setting(.issuerURL) == "https://127.0.0.1:8443/é")
            #expect(try await store.directoryVersion() == version)
        }
    }
}
