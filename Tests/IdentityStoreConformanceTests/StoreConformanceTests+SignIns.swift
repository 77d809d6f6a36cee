import Foundation
import IdentityCore
import Testing

extension Fixtures {
    static func signIn(_ id: String, time: Double, tenantID: String = tenantID, user: String? = "alice@contoso.test",
                       appID: String = "app-1", errorCode: Int = 0, conditionalAccess: String = "notApplied",
                       correlationID: String = "corr-1") -> SignInRecord {
        SignInRecord(id: id, createdDateTime: date(time), userDisplayName: user.map { "User \($0)" },
                     userPrincipalName: user, userId: user.map { "oid-\($0)" }, appId: appID, appDisplayName: "App \(appID)",
                     ipAddress: "203.0.113.5", clientAppUsed: "Mobile Apps and Desktop clients", correlationId: correlationID,
                     isInteractive: user != nil, resourceDisplayName: "AKS", resourceId: "resource-1", resourceTenantId: tenantID,
                     status: errorCode == 0 ? .success : .init(errorCode: errorCode, failureReason: "refused \(errorCode)"),
                     deviceDetail: .init(operatingSystem: "Linux", browser: "Chrome 120.0.0"),
                     conditionalAccessStatus: conditionalAccess,
                     appliedConditionalAccessPolicies: conditionalAccess == "notApplied" ? [] : [
                         .init(id: "policy-1", displayName: "Require compliant device",
                               enforcedGrantControls: ["RequireCompliantDevice"], result: conditionalAccess)],
                     userAgent: "Mozilla/5.0", uniqueTokenIdentifier: errorCode == 0 ? "uti-\(id)" : nil)
    }
}

extension StoreConformanceTests {
    @Test(arguments: StoreBackend.available)
    func signInsRoundTripAndComeNewestFirst(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            let records = [
                Fixtures.signIn("s-1", time: 0),
                Fixtures.signIn("s-2a", time: 10.5, errorCode: 50126, correlationID: "corr-2"),
                Fixtures.signIn("s-2b", time: 10.5, user: "Bob@Contoso.test", appID: "app-2"),
                Fixtures.signIn("s-3", time: 20, tenantID: Fixtures.otherTenantID),
                Fixtures.signIn("s-4", time: 30, user: nil, appID: "app-3", errorCode: 7000215),
                Fixtures.signIn("s-5", time: 40, errorCode: 53000, conditionalAccess: "failure"),
            ]
            try await store.appendSignIns(Array(records.prefix(3)))
            try await store.appendSignIns(Array(records.dropFirst(3)))
            try await store.appendSignIns([])
            let byID = Dictionary(uniqueKeysWithValues: records.map { ($0.id, $0) })
            func ids(_ query: SignInQuery) async throws -> [String] { try await store.signIns(query).records.map(\.id) }

            let all = try await store.signIns(SignInQuery()).records
            #expect(all.map(\.id) == ["s-5", "s-4", "s-3", "s-2b", "s-2a", "s-1"])
            #expect(all == all.map { byID[$0.id]! })
            #expect(all.first { $0.id == "s-2b" }?.userPrincipalName == "bob@contoso.test")
            #expect(try await store.signIn(id: "s-5", tenantID: nil) == byID["s-5"])
            #expect(try await store.signIn(id: "s-3", tenantID: Fixtures.tenantID) == nil)
            #expect(try await store.signIn(id: "s-3", tenantID: Fixtures.otherTenantID) == byID["s-3"])
            #expect(try await store.signIn(id: "nope", tenantID: nil) == nil)

            // Each filter, alone and together; bounds are inclusive.
            #expect(try await ids(SignInQuery(tenantID: Fixtures.otherTenantID)) == ["s-3"])
            #expect(try await ids(SignInQuery(since: Fixtures.date(10.5), until: Fixtures.date(30))) == ["s-4", "s-3", "s-2b", "s-2a"])
            #expect(try await ids(SignInQuery(userID: "oid-alice@contoso.test", outcome: .success)) == ["s-3", "s-1"])
            #expect(try await ids(SignInQuery(userPrincipalName: "BOB@contoso.TEST")) == ["s-2b"])
            #expect(try await ids(SignInQuery(appID: "app-3")) == ["s-4"])
            #expect(try await ids(SignInQuery(errorCode: 50126)) == ["s-2a"])
            #expect(try await ids(SignInQuery(tenantID: Fixtures.tenantID, outcome: .failure)) == ["s-5", "s-4", "s-2a"])
            #expect(try await ids(SignInQuery(conditionalAccessStatus: "failure")) == ["s-5"])
            #expect(try await ids(SignInQuery(correlationID: "corr-2")) == ["s-2a"])
            #expect(try await ids(SignInQuery(tenantID: Fixtures.tenantID, errorCode: 0, outcome: .failure)).isEmpty)
        }
    }

    @Test(arguments: StoreBackend.available)
    func signInPagesFollowTheirCursorWithoutGapsOrRepeats(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            // Several records share each millisecond, so the cursor must order by id too.
            let records = (0..<23).map { Fixtures.signIn("s-\(String(format: "%02d", $0))", time: Double($0 / 3)) }
            try await store.appendSignIns(records.shuffled())
            var seen: [String] = []
            var query = SignInQuery(tenantID: Fixtures.tenantID, pageSize: 5)
            var pages = 0
            while true {
                let page = try await store.signIns(query)
                pages += 1
                #expect(page.records.count <= 5)
                seen += page.records.map(\.id)
                guard let next = page.next else { break }
                // A cursor survives being written out and read back (a skip token).
                query.after = try #require(SignInCursor(token: next.token))
            }
            #expect(pages == 5)
            #expect(seen == records.map(\.id).reversed())
            let exact = try await store.signIns(SignInQuery(pageSize: 23))
            #expect(exact.records.count == 23 && exact.next == nil)
            #expect(try await store.signIns(SignInQuery(pageSize: 0)).records.count == 1)
        }
    }

    @Test(arguments: StoreBackend.available)
    func signInIDsAreUniqueAndABatchIsAllOrNothing(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            try await store.appendSignIns([Fixtures.signIn("s-1", time: 0)])
            await #expect(throws: StoreError.alreadyExists) {
                try await store.appendSignIns([Fixtures.signIn("s-2", time: 1), Fixtures.signIn("s-1", time: 2)])
            }
            await #expect(throws: StoreError.alreadyExists) {
                try await store.appendSignIns([Fixtures.signIn("s-3", time: 1), Fixtures.signIn("s-3", time: 2)])
            }
            #expect(try await store.signIns(SignInQuery()).records.map(\.id) == ["s-1"])
        }
    }

    @Test(arguments: StoreBackend.available)
    func deletingSignInsIsBoundedAndStrictlyBefore(_ backend: StoreBackend) async throws {
        try await withFreshStore(backend) { store in
            try await store.appendSignIns((0..<15).map { Fixtures.signIn("old-\($0)", time: Double($0)) }
                                          + [Fixtures.signIn("cutoff", time: 100)])
            let before = Fixtures.date(100)
            #expect(try await store.deleteSignIns(before: before, limit: 0) == 0)
            #expect(try await store.deleteSignIns(before: before, limit: 10) == 10)
            #expect(try await store.deleteSignIns(before: before, limit: 10) == 5)
            #expect(try await store.deleteSignIns(before: before, limit: 10) == 0)
            #expect(try await store.signIns(SignInQuery()).records.map(\.id) == ["cutoff"])
        }
    }
}
