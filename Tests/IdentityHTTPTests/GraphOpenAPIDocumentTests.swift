import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import IdentityCore
import IdentityTesting
import NIOCore
import OAuthProtocol
import Testing

/// `/v1.0/openapi.json` describes what the router really serves: a well-formed OpenAPI 3.1
/// document whose every `$ref` resolves and whose every operation reaches a real handler (not
/// the catch-all that answers unknown paths). The interop suite validates it with
/// openapi-spec-validator and runs schemathesis against a live server.
@Suite("Graph OpenAPI document")
struct GraphOpenAPIDocumentTests {
    @Test func theDocumentIsServedWithoutATokenAndEveryReferenceResolves() async throws {
        let harness = try await SignInHTTPHarness.make()
        try await harness.run { client in
            let response = try await client.execute(uri: "/v1.0/openapi.json", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
            let document = response.jsonObject
            #expect(document["openapi"] as? String == "3.1.0")
            let servers = try #require(document["servers"] as? [[String: Any]])
            #expect(servers.first?["url"] as? String == "\(harness.test.issuer.urls.baseURL)/v1.0")
            let paths = try #require(document["paths"] as? [String: Any])
            #expect(Set(paths.keys) == (try Self.documentedPaths()), "docs/graph-api.md's path table and the document differ")
            let components = try #require(document["components"] as? [String: Any])
            let schemas = try #require(components["schemas"] as? [String: Any])
            let responses = try #require(components["responses"] as? [String: Any])
            var references: Set<String> = []
            Self.collectReferences(document, into: &references)
            #expect(!references.isEmpty)
            for reference in references {
                let parts = reference.split(separator: "/").map(String.init)
                switch (parts.first, parts.dropFirst().first, parts.dropFirst(2).first, parts.last) {
                case ("#", "components", "schemas", let name?): #expect(schemas[name] != nil, "unresolved \(reference)")
                case ("#", "components", "responses", let name?): #expect(responses[name] != nil, "unresolved \(reference)")
                default: Issue.record("unexpected reference \(reference)")
                }
            }
            var operationIDs: [String] = []
            for case let (_, item as [String: Any]) in paths {
                for (method, value) in item where method != "parameters" {
                    let operation = try #require(value as? [String: Any])
                    operationIDs.append(try #require(operation["operationId"] as? String))
                    let answers = try #require(operation["responses"] as? [String: Any])
                    #expect(answers["default"] != nil)
                }
            }
            #expect(Set(operationIDs).count == operationIDs.count, "operationIds must be unique")
        }
    }

    @Test func everyDocumentedOperationReachesItsHandler() async throws {
        let harness = try await SignInHTTPHarness.make()
        let token = try await GraphAPITests.appToken(harness, permissions: ["Directory.ReadWrite.All", "Application.ReadWrite.All",
                                                                            "AuditLog.Read.All", "RoleManagement.ReadWrite.Directory",
                                                                            "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup",
                                                                            "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup",
                                                                            "RoleManagementPolicy.ReadWrite.AzureADGroup"])
        try await harness.run { client in
            let document = try await client.execute(uri: "/v1.0/openapi.json", method: .get).jsonObject
            let paths = try #require(document["paths"] as? [String: Any])
            let missing = UUID().uuidString.lowercased()
            for case let (path, item as [String: Any]) in paths {
                for method in item.keys where method != "parameters" {
                    let concrete = path.replacingOccurrences(of: "{appId}", with: missing)
                        .replacingOccurrences(of: "{id}", with: missing).replacingOccurrences(of: "{memberId}", with: missing)
                        .replacingOccurrences(of: "{assignmentId}", with: missing).replacingOccurrences(of: "{stageId}", with: missing)
                        .replacingOccurrences(of: "{ruleId}", with: "Expiration_EndUser_Assignment")
                    let uri = "/v1.0" + concrete.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["'"]))!
                    let answer = try await client.execute(uri: uri, method: HTTPRequest.Method(rawValue: method.uppercased())!,
                                                          headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                                                          body: ByteBuffer(string: "{}"))
                    let message = ((answer.jsonObject["error"] as? [String: Any])?["message"] as? String) ?? ""
                    #expect(!message.hasPrefix("Resource not found for the segment"), "\(method) \(path) is not routed")
                    #expect(answer.status.code < 500, "\(method) \(path) answered \(answer.status)")
                }
            }
        }
    }

    /// The first column of docs/graph-api.md's path table.
    static func documentedPaths() throws -> Set<String> {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("docs/graph-api.md"), encoding: .utf8)
        return Set(text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("| `/") else { return nil }
            return line.dropFirst(3).split(separator: "`").first.map(String.init)
        })
    }

    static func collectReferences(_ value: Any, into references: inout Set<String>) {
        if let object = value as? [String: Any] {
            if let reference = object["$ref"] as? String { references.insert(reference) }
            for child in object.values { collectReferences(child, into: &references) }
        } else if let array = value as? [Any] {
            for child in array { collectReferences(child, into: &references) }
        }
    }
}
