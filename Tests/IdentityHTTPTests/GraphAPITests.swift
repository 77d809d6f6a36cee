import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityTesting
import NIOCore
import OAuthProtocol
import Testing

/// The Graph admin API through the real router: tokens, permissions, resources, OData, errors.
@Suite("Microsoft Graph admin API")
struct GraphAPITests {
    static let graphScope = "https://graph.microsoft.com/.default"

    /// A client-credentials token for Graph, for the pipeline, after granting `permissions`.
    static func appToken(_ harness: SignInHTTPHarness, permissions: [String]) async throws -> String {
        let pipeline = harness.users.directory.pipeline
        if !permissions.isEmpty {
            _ = try await harness.test.administration.grantPermissions(tenant: "contoso", servicePrincipal: pipeline.application.appID,
                                                                       permissions: permissions)
        }
        return try await harness.test.issuer.tokenEndpoint.handle(TokenRequest(
            tenantSegment: "contoso", version: .v2, parameters: [
                "grant_type": "client_credentials", "client_id": pipeline.application.appID,
                "client_secret": pipeline.password ?? "", "scope": graphScope], clientAddress: "192.0.2.1")).accessToken
    }

    /// A delegated Graph token for `user` through the Graph command-line client (device code).
    static func userToken(_ harness: SignInHTTPHarness, user: User, scope: String, methods: [String] = ["pwd"]) async throws -> String {
        let issuer = harness.test.issuer
        let started = try await issuer.deviceAuthorization.handle(
            tenantSegment: "contoso", version: .v2,
            parameters: ["client_id": WellKnownApplications.graphCommandLineToolsAppID, "scope": "\(scope) openid profile offline_access"],
            address: "198.51.100.7", correlationID: nil)
        _ = try await issuer.deviceFlow.approve(userCode: started.userCode, user: user, methods: methods,
                                                authenticatedAt: harness.test.clock.now())
        return try await issuer.tokenEndpoint.handle(TokenRequest(
            tenantSegment: "contoso", version: .v2, parameters: [
                "grant_type": GrantType.deviceCode, "device_code": started.deviceCode,
                "client_id": WellKnownApplications.graphCommandLineToolsAppID], clientAddress: "198.51.100.7")).accessToken
    }

    @Test func graphTokensCarryGrantedRolesAndUserTokensCarryWids() async throws {
        let harness = try await SignInHTTPHarness.make()
        let bare = try await harness.test.verify(try await Self.appToken(harness, permissions: []),
                                                 audience: "https://graph.microsoft.com", tenantID: harness.tenantID)
        #expect(bare.strings("roles") == nil)
        let granted = try await harness.test.verify(try await Self.appToken(harness, permissions: ["User.Read.All", "group.readwrite.all"]),
                                                    audience: "https://graph.microsoft.com", tenantID: harness.tenantID)
        #expect(granted.strings("roles") == ["User.Read.All", "Group.ReadWrite.All"])
        #expect(granted.string("idtyp") == "app")

        _ = try await harness.test.administration.assignDirectoryRole(tenant: "contoso", role: "Groups Administrator",
                                                                      member: harness.users.alice.userPrincipalName)
        let delegated = try await harness.test.verify(
            try await Self.userToken(harness, user: harness.users.alice, scope: "https://graph.microsoft.com/Group.ReadWrite.All"),
            audience: "https://graph.microsoft.com", tenantID: harness.tenantID)
        #expect(delegated.string("scp") == "Group.ReadWrite.All")
        #expect(delegated.strings("wids") == [DirectoryRole.groupsAdministrator.templateID])
    }

    @Test func missingWrongAndUnprivilegedTokensAreRefusedInGraphShape() async throws {
        let harness = try await SignInHTTPHarness.make()
        let bare = try await Self.appToken(harness, permissions: [])
        let aks = try await harness.test.issuer.tokenEndpoint.handle(TokenRequest(
            tenantSegment: "contoso", version: .v2, parameters: [
                "grant_type": "client_credentials", "client_id": harness.users.directory.pipeline.application.appID,
                "client_secret": harness.users.directory.pipeline.password ?? "",
                "scope": "\(WellKnownApplications.aksServerAppID)/.default"], clientAddress: "192.0.2.1")).accessToken
        try await harness.run { client in
            let anonymous = try await client.execute(uri: "/v1.0/users", method: .get, headers: [HTTPField.Name("client-request-id")!: "abc-123"])
            #expect(anonymous.status == .unauthorized)
            #expect(anonymous.headers[.wwwAuthenticate]?.hasPrefix("Bearer ") == true)
            let error = try #require(anonymous.jsonObject["error"] as? [String: Any])
            #expect(error["code"] as? String == "InvalidAuthenticationToken")
            let inner = try #require(error["innerError"] as? [String: Any])
            #expect(inner["client-request-id"] as? String == "abc-123")
            #expect(inner["request-id"] as? String == anonymous.headers[HTTPField.Name("request-id")!])
            #expect(inner["date"] is String)

            let otherAudience = try await client.execute(uri: "/v1.0/users", method: .get, headers: [.authorization: "Bearer \(aks)"])
            #expect(otherAudience.status == .unauthorized)
            let forbidden = try await client.execute(uri: "/v1.0/users", method: .get, headers: [.authorization: "Bearer \(bare)"])
            #expect(forbidden.status == .forbidden)
            #expect((forbidden.jsonObject["error"] as? [String: Any])?["code"] as? String == "Authorization_RequestDenied")
            let tampered = try await client.execute(uri: "/v1.0/users", method: .get,
                                                    headers: [.authorization: "Bearer \(bare.dropLast(4))AAAA"])
            #expect(tampered.status == .unauthorized)
        }
        harness.test.clock.advance(by: 3 * 3600)
        try await harness.run { client in
            let expired = try await client.execute(uri: "/v1.0/users", method: .get, headers: [.authorization: "Bearer \(bare)"])
            #expect(expired.status == .unauthorized)
        }
    }

    @Test func usersAndGroupsRoundTripWithODataAndPaging() async throws {
        let harness = try await SignInHTTPHarness.make()
        let token = try await Self.appToken(harness, permissions: ["User.ReadWrite.All", "Group.ReadWrite.All"])
        let auth: HTTPFields = [.authorization: "Bearer \(token)", .contentType: "application/json"]
        let pipelinePrincipal = harness.users.directory.pipeline.servicePrincipal.objectID
        try await harness.run { client in
            func send(_ method: HTTPRequest.Method, _ path: String, _ body: String? = nil) async throws -> TestResponse {
                try await client.execute(uri: path, method: method, headers: auth, body: body.map { ByteBuffer(string: $0) })
            }
            let created = try await send(.post, "/v1.0/users", #"""
                {"@odata.type":"#microsoft.graph.user","accountEnabled":true,"displayName":"Adele Vance","mailNickname":"AdeleV",
                 "userPrincipalName":"adele@contoso.test","passwordProfile":{"forceChangePasswordNextSignIn":false,"password":"xWwvJ]6NMw+bWH-d"}}
                """#)
            #expect(created.status == .created)
            #expect(created.jsonObject["@odata.context"] as? String == "\(TestIssuer.issuerURL)/v1.0/$metadata#users/$entity")
            let adele = try #require(created.jsonObject["id"] as? String)
            let byUPN = try await send(.get, "/v1.0/users/adele@contoso.test")
            #expect(byUPN.jsonObject["id"] as? String == adele)
            let duplicate = try await send(.post, "/v1.0/users", #"""
                {"accountEnabled":true,"displayName":"Adele","mailNickname":"a","userPrincipalName":"ADELE@contoso.test","passwordProfile":{"password":"xWwvJ]6NMw+bWH-d"}}
                """#)
            #expect(duplicate.status == .badRequest)

            let filtered = try await send(.get, "/v1.0/users?$filter=startsWith(displayName,'adele')&$select=displayName")
            let values = try #require(filtered.jsonObject["value"] as? [[String: Any]])
            #expect(values.count == 1)
            #expect(Set(values[0].keys) == ["@odata.type", "id", "displayName"])
            // As Python's requests encodes it: the option's `$` escaped, spaces as `+`.
            let formEncoded = try await send(.get, "/v1.0/users?%24filter=startsWith(displayName%2C+%27adele%27)&%24select=displayName")
            #expect((formEncoded.jsonObject["value"] as? [[String: Any]])?.map { $0["id"] as? String } == [adele])
            #expect(try await send(.get, "/v1.0/users?$filter=%zz").status == .badRequest)
            #expect(try await send(.patch, "/v1.0/users/\(adele)", #"{"displayName":"Adele V."}"#).status == .noContent)
            #expect(try await send(.get, "/v1.0/users/\(adele)").jsonObject["displayName"] as? String == "Adele V.")

            let group = try await send(.post, "/v1.0/groups", """
                {"displayName":"Operations","mailNickname":"ops","mailEnabled":false,"securityEnabled":true,"groupTypes":[],
                 "members@odata.bind":["https://graph.microsoft.com/v1.0/directoryObjects/\(adele)"]}
                """)
            #expect(group.status == .created)
            let groupID = try #require(group.jsonObject["id"] as? String)
            #expect((group.jsonObject["securityIdentifier"] as? String)?.hasPrefix("S-1-12-1-") == true)
            let add = { (id: String) in try await send(.post, "/v1.0/groups/\(groupID)/members/$ref",
                                                       #"{"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/\#(id)"}"#) }
            #expect(try await add(pipelinePrincipal).status == .noContent)
            #expect(try await add(harness.users.directory.outer.objectID).status == .noContent)
            let again = try await add(adele)
            #expect(again.status == .badRequest)
            #expect((again.jsonObject["error"] as? [String: Any])?["message"] as? String
                    == "One or more added object references already exist for the following modified properties: 'members'.")
            #expect(try await add(UUID().uuidString).status == .notFound)

            // outer contains inner, which holds alice, bob and both pipelines: paging over all of them.
            var seen: [String: String] = [:]
            var next: String? = "/v1.0/groups/\(groupID)/transitiveMembers?$top=2"
            while let link = next {
                let page = try await send(.get, link.replacingOccurrences(of: TestIssuer.issuerURL, with: ""))
                #expect(page.status == .ok)
                for item in try #require(page.jsonObject["value"] as? [[String: Any]]) {
                    seen[try #require(item["id"] as? String)] = item["@odata.type"] as? String
                }
                next = page.jsonObject["@odata.nextLink"] as? String
                if let next { #expect(next.hasPrefix("\(TestIssuer.issuerURL)/v1.0/groups/")) }
            }
            #expect(seen[adele] == "#microsoft.graph.user")
            #expect(seen[pipelinePrincipal] == "#microsoft.graph.servicePrincipal")
            #expect(seen[harness.users.directory.inner.objectID] == "#microsoft.graph.group")
            #expect(seen[harness.users.alice.objectID] == "#microsoft.graph.user")
            #expect(seen.count == 7)

            #expect(try await send(.delete, "/v1.0/groups/\(groupID)/members/\(adele)/$ref").status == .noContent)
            #expect(try await send(.delete, "/v1.0/groups/\(groupID)/members/$ref?@id=https://graph.microsoft.com/v1.0/directoryObjects/\(pipelinePrincipal)").status == .noContent)
            let direct = try await send(.get, "/v1.0/groups/\(groupID)/members")
            #expect((direct.jsonObject["value"] as? [[String: Any]])?.count == 1)
            #expect(try await send(.delete, "/v1.0/users/\(adele)").status == .noContent)
            #expect(try await send(.get, "/v1.0/users/\(adele)").status == .notFound)
            #expect(try await send(.delete, "/v1.0/groups/\(groupID)").status == .noContent)
        }
        // The CLI's services see the API's changes at once.
        #expect(try await harness.test.administration.listUsers(tenant: "contoso").contains { $0.userPrincipalName == "adele@contoso.test" } == false)
    }

    @Test func badODataAndUnknownPathsAnswerGraphErrors() async throws {
        let harness = try await SignInHTTPHarness.make()
        let token = try await Self.appToken(harness, permissions: ["Directory.Read.All"])
        try await harness.run { client in
            func code(_ path: String, _ headers: HTTPFields = [:]) async throws -> (HTTPResponse.Status, String?) {
                var all: HTTPFields = [.authorization: "Bearer \(token)"]
                all.append(contentsOf: headers)
                let response = try await client.execute(uri: path, method: .get, headers: all)
                return (response.status, (response.jsonObject["error"] as? [String: Any])?["code"] as? String)
            }
            #expect(try await code("/v1.0/users?$filter=displayName%20eq").0 == .badRequest)
            #expect(try await code("/v1.0/users?$filter=startsWith(displayName").0 == .badRequest)
            #expect(try await code("/v1.0/users?$top=0").0 == .badRequest)
            #expect(try await code("/v1.0/users?$search=%22displayName:a%22").1 == "Request_UnsupportedQuery")
            #expect(try await code("/v1.0/users?$count=true").0 == .badRequest)
            #expect(try await code("/v1.0/users?$count=true", [HTTPField.Name("ConsistencyLevel")!: "eventual"]).0 == .ok)
            #expect(try await code("/v1.0/users/\(UUID().uuidString)").1 == "Request_ResourceNotFound")
            #expect(try await code("/v1.0/nothingHere").1 == "BadRequest")
            let graph = try await client.execute(uri: "/v1.0/applications(appId='\(WellKnownApplications.graphAppID)')", method: .get,
                                                 headers: [.authorization: "Bearer \(token)"])
            #expect(graph.jsonObject["displayName"] as? String == "Microsoft Graph")
            let counted = try await client.execute(uri: "/v1.0/users?$count=true&$filter=userPrincipalName%20in%20('alice@contoso.test','BOB@contoso.test')",
                                                   method: .get, headers: [.authorization: "Bearer \(token)", HTTPField.Name("ConsistencyLevel")!: "eventual"])
            #expect(counted.jsonObject["@odata.count"] as? Int == 2)
        }
    }

    @Test func addPasswordThenSignInWithTheNewSecret() async throws {
        let harness = try await SignInHTTPHarness.make()
        let token = try await Self.appToken(harness, permissions: ["Application.ReadWrite.All"])
        let pipeline = harness.users.directory.pipeline
        try await harness.run { client in
            let added = try await client.execute(
                uri: "/v1.0/applications/\(pipeline.application.objectID)/addPassword", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"passwordCredential":{"displayName":"ci"}}"#))
            #expect(added.status == .ok)
            let secret = try #require(added.jsonObject["secretText"] as? String)
            #expect((16...64).contains(secret.count))
            #expect(added.jsonObject["displayName"] as? String == "ci")
            let signedIn = try await client.postForm("/contoso/oauth2/v2.0/token", [
                ("grant_type", "client_credentials"), ("client_id", pipeline.application.appID),
                ("client_secret", secret), ("scope", Self.graphScope)])
            #expect(signedIn.status == .ok)
            let keyID = try #require(added.jsonObject["keyId"] as? String)
            let removed = try await client.execute(
                uri: "/v1.0/applications/\(pipeline.application.objectID)/removePassword", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"keyId":"\#(keyID)"}"#))
            #expect(removed.status == .noContent)
            let refused = try await client.postForm("/contoso/oauth2/v2.0/token", [
                ("grant_type", "client_credentials"), ("client_id", pipeline.application.appID),
                ("client_secret", secret), ("scope", Self.graphScope)])
            #expect(refused.status == .unauthorized)
        }
        // Stored hashed: no credential holds the clear text.
        let secrets = try await harness.test.store.clientSecrets(tenantID: harness.tenantID, appID: pipeline.application.appID)
        #expect(secrets.allSatisfy { $0.secretHash.count == 32 })
    }

    @Test func delegatedCallsNeedTheScopeAndARole() async throws {
        let harness = try await SignInHTTPHarness.make()
        let alice = harness.users.alice
        let withoutRole = try await Self.userToken(harness, user: alice, scope: "https://graph.microsoft.com/Group.ReadWrite.All")
        _ = try await harness.test.administration.assignDirectoryRole(tenant: "contoso", role: "groups-administrator", member: alice.objectID)
        let withRole = try await Self.userToken(harness, user: alice, scope: "https://graph.microsoft.com/Group.ReadWrite.All")
        let readOnly = try await Self.userToken(harness, user: alice, scope: "https://graph.microsoft.com/User.Read")
        let body = #"{"displayName":"Team","mailNickname":"team","mailEnabled":false,"securityEnabled":true}"#
        try await harness.run { client in
            func create(_ token: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/v1.0/groups", method: .post,
                                         headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                         body: ByteBuffer(string: body)).status
            }
            #expect(try await create(withRole) == .created)
            #expect(try await create(readOnly) == .forbidden)
            let me = try await client.execute(uri: "/v1.0/me", method: .get, headers: [.authorization: "Bearer \(readOnly)"])
            #expect(me.jsonObject["userPrincipalName"] as? String == alice.userPrincipalName)
        }
        // Roles are read at call time: the token minted before the role now works, and a
        // removed role stops working with the same token.
        try await harness.run { client in
            let status = try await client.execute(uri: "/v1.0/groups", method: .post,
                                                  headers: [.authorization: "Bearer \(withoutRole)", .contentType: "application/json"],
                                                  body: ByteBuffer(string: body)).status
            #expect(status == .created)
        }
        try await harness.test.administration.removeDirectoryRole(tenant: "contoso", role: "Groups Administrator", member: alice.objectID)
        try await harness.run { client in
            let status = try await client.execute(uri: "/v1.0/groups", method: .post,
                                                  headers: [.authorization: "Bearer \(withRole)", .contentType: "application/json"],
                                                  body: ByteBuffer(string: body)).status
            #expect(status == .forbidden)
        }
    }

    @Test func aUserAdministratorCannotTakeOverAnAdministrator() async throws {
        let harness = try await SignInHTTPHarness.make()
        let admin = harness.test.administration
        _ = try await admin.assignDirectoryRole(tenant: "contoso", role: "User Administrator", member: harness.users.alice.objectID)
        _ = try await admin.assignDirectoryRole(tenant: "contoso", role: "Global Administrator", member: harness.users.bob.objectID)
        let token = try await Self.userToken(harness, user: harness.users.alice, scope: "https://graph.microsoft.com/User.ReadWrite.All")
        try await harness.run { client in
            let takeover = try await client.execute(
                uri: "/v1.0/users/\(harness.users.bob.objectID)", method: .patch,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"passwordProfile":{"password":"Another-Long-Passw0rd!"}}"#))
            #expect(takeover.status == .forbidden)
        }
    }

    @Test func appRoleAssignmentsThroughGraphAndTheAuditTrail() async throws {
        let harness = try await SignInHTTPHarness.make()
        let token = try await Self.appToken(harness, permissions: ["AppRoleAssignment.ReadWrite.All", "AuditLog.Read.All"])
        let certificatePipeline = harness.users.directory.certificatePipeline.servicePrincipal.objectID
        let graph = try #require(try await harness.test.store.servicePrincipal(tenantID: harness.tenantID,
                                                                                 appID: WellKnownApplications.graphAppID))
        try await harness.run { client in
            let granted = try await client.execute(
                uri: "/v1.0/servicePrincipals/\(certificatePipeline)/appRoleAssignments", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"principalId":"\#(certificatePipeline)","resourceId":"\#(graph.objectID)","appRoleId":"\#(GraphPermission.userReadAll.appRoleID)"}"#))
            #expect(granted.status == .created)
            #expect(granted.jsonObject["resourceDisplayName"] as? String == "Microsoft Graph")
            let audits = try await client.execute(uri: "/v1.0/auditLogs/directoryAudits?$filter=activityDisplayName%20eq%20'Add%20app%20role%20assignment%20to%20service%20principal'",
                                                  method: .get, headers: [.authorization: "Bearer \(token)"])
            let entries = try #require(audits.jsonObject["value"] as? [[String: Any]])
            #expect(entries.count >= 2)
            // The one made through Graph names the calling principal, not the CLI.
            let initiators = entries.compactMap { (($0["initiatedBy"] as? [String: Any])?["app"] as? [String: Any])?["servicePrincipalId"] as? String }
            #expect(initiators.contains(harness.users.directory.pipeline.servicePrincipal.objectID))
        }
        let listed = try await harness.test.administration.listPermissions(tenant: "contoso", servicePrincipal: certificatePipeline)
        #expect(listed.map(\.permission.name) == ["User.Read.All"])
    }

    @Test func aClientOverItsBudgetGets429WithRetryAfter() async throws {
        let harness = try await SignInHTTPHarness.make { $0.graphRequestsPerMinute = 3 }
        let token = try await Self.appToken(harness, permissions: ["User.Read.All"])
        try await harness.run { client in
            for _ in 0..<3 {
                #expect(try await client.execute(uri: "/v1.0/users", method: .get, headers: [.authorization: "Bearer \(token)"]).status == .ok)
            }
            let throttled = try await client.execute(uri: "/v1.0/users", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(throttled.status == .tooManyRequests)
            #expect(Int(throttled.headers[.retryAfter] ?? "") ?? 0 >= 1)
        }
    }

    @Test func theSignInLogReadsAsGraphSignInsWithDatesFiltersAndPages() async throws {
        let harness = try await SignInHTTPHarness.make()
        let token = try await Self.appToken(harness, permissions: ["AuditLog.Read.All"])
        for _ in 0..<2 { _ = try await Self.appToken(harness, permissions: []) }
        await harness.test.issuer.signInLog.buffer.flush()
        let pipeline = harness.users.directory.pipeline.application.appID
        try await harness.run { client in
            let auth: HTTPFields = [.authorization: "Bearer \(token)"]
            let first = try await client.execute(uri: "/v1.0/auditLogs/signIns?$top=2&$filter=appId%20eq%20'\(pipeline)'",
                                                 method: .get, headers: auth)
            #expect(first.status == .ok)
            let records = try #require(first.jsonObject["value"] as? [[String: Any]])
            #expect(records.count == 2)
            // Graph's dates are ISO 8601 text, as the SDKs parse them (never epoch numbers).
            let created = try #require(records.first?["createdDateTime"] as? String)
            #expect(GraphDate.parse(created) != nil)
            #expect(records.allSatisfy { $0["appId"] as? String == pipeline })
            let next = try #require(first.jsonObject["@odata.nextLink"] as? String)
            let rest = try await client.execute(uri: next.replacingOccurrences(of: TestIssuer.issuerURL, with: ""), method: .get,
                                                headers: auth)
            let more = try #require(rest.jsonObject["value"] as? [[String: Any]])
            #expect(more.count == 1)
            let id = try #require(more.first?["id"] as? String)
            let one = try await client.execute(uri: "/v1.0/auditLogs/signIns/\(id)", method: .get, headers: auth)
            #expect(one.jsonObject["id"] as? String == id)
            #expect(one.jsonObject["createdDateTime"] is String)
        }
    }
}
