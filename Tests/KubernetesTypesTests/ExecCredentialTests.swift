import Testing
import KubernetesTypes

@Suite("ExecCredential output and KUBERNETES_EXEC_INFO")
struct ExecCredentialTests {
    @Test("one compact line in the k8s field order")
    func line() {
        let credential = ExecCredential(apiVersion: .v1beta1, token: "a.b.c", expirationTimestamp: 1_772_725_357)
        #expect(credential.jsonLine == #"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{"interactive":false},"status":{"expirationTimestamp":"2026-03-05T15:42:37Z","token":"a.b.c"}}"# + "\n")
    }

    @Test("RFC 3339 UTC across dates", arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"), (951_782_400, "2000-02-29T00:00:00Z"), (4_102_444_799, "2099-12-31T23:59:59Z"),
        (-1, "1969-12-31T23:59:59Z"),
    ])
    func timestamps(seconds: Int64, text: String) {
        #expect(RFC3339.utcSeconds(seconds) == text)
    }

    @Test("the API version comes from KUBERNETES_EXEC_INFO")
    func versions() throws {
        #expect(try ExecCredentialRequest.apiVersion(execInfo: nil) == .v1beta1)
        #expect(try ExecCredentialRequest.apiVersion(execInfo: "") == .v1beta1)
        #expect(try ExecCredentialRequest.apiVersion(execInfo: #"{"kind":"ExecCredential","spec":{"interactive":false}}"#) == .v1beta1)
        #expect(try ExecCredentialRequest.apiVersion(execInfo: #"{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","spec":{"interactive":true}}"#) == .v1)
        #expect(throws: ExecCredentialRequest.UnsupportedError(description: "api version: client.authentication.k8s.io/v1alpha1 is not supported")) {
            try ExecCredentialRequest.apiVersion(execInfo: #"{"apiVersion":"client.authentication.k8s.io/v1alpha1"}"#)
        }
        #expect(throws: ExecCredentialRequest.UnsupportedError.self) { try ExecCredentialRequest.apiVersion(execInfo: "{nope") }
    }
}
