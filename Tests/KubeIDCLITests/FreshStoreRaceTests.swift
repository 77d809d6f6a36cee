import Foundation
import Synchronization
import Testing
@testable import KubeIDCLI

/// Provisioning scripts start `kubeid serve` and admin commands at the same moment on a fresh
/// data directory: opening (and migrating) the store must be safe from every process at once.
@Suite("Several processes on a fresh store")
struct FreshStoreRaceTests {
    @Test(.timeLimit(.minutes(5)))
    func serveAndAnAdminCommandStartedTogetherBothWork() async throws {
        for round in 0..<20 {
            let kubeid = try KubeID()
            defer { kubeid.cleanUp() }
            let port = try freeLocalPort()
            let server = try RunningProcess(KubeID.binary, ["serve", "--data-dir", kubeid.dataDirectory,
                                                            "--listen", "127.0.0.1:\(port)"],
                                            environment: kubeid.environment, in: kubeid.scratch)
            let admin = try RunningProcess(KubeID.binary, ["tenant", "create", "--name", "race",
                                                           "--data-dir", kubeid.dataDirectory],
                                           environment: kubeid.environment, in: kubeid.scratch)
            defer { if !server.hasExited { server.signal(SIGKILL) } }
            let adminStatus = await admin.exitStatus()
            #expect(adminStatus == 0, "round \(round): tenant create: \(admin.stderr)")
            // Up means answering HTTPS (its signal handlers are installed by then).
            let deadline = ContinuousClock.now + .seconds(30)
            var up = false
            while ContinuousClock.now < deadline, !server.hasExited, !up {
                let probe = try await ProcessRunner.run("/usr/bin/curl", ["--silent", "--insecure", "--max-time", "2",
                                                                          "https://127.0.0.1:\(port)/healthz"],
                                                        environment: kubeid.environment, in: kubeid.scratch)
                up = probe.status == 0
                if !up { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(up && !server.hasExited, "round \(round): serve: \(server.stderr)")
            server.signal(SIGTERM)
            #expect(await server.exitStatus(within: .seconds(10)) == 0, "round \(round): \(server.stderr)")
            if adminStatus != 0 { break }
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func adminCommandsInParallelOnAFreshStoreAllSucceed() async throws {
        let kubeid = try KubeID()
        defer { kubeid.cleanUp() }
        let tenant = try RunningProcess(KubeID.binary, ["tenant", "create", "--name", "parallel",
                                                        "--data-dir", kubeid.dataDirectory],
                                        environment: kubeid.environment, in: kubeid.scratch)
        let listers = try (0..<7).map { _ in
            try RunningProcess(KubeID.binary, ["tenant", "list", "--data-dir", kubeid.dataDirectory],
                               environment: kubeid.environment, in: kubeid.scratch)
        }
        #expect(await tenant.exitStatus() == 0, "\(tenant.stderr)")
        for lister in listers {
            #expect(await lister.exitStatus() == 0, "\(lister.stderr)")
        }
        let groups = try (0..<8).map { index in
            try RunningProcess(KubeID.binary, ["group", "create", "--tenant", "parallel", "--display-name", "g\(index)",
                                               "--data-dir", kubeid.dataDirectory],
                               environment: kubeid.environment, in: kubeid.scratch)
        }
        for group in groups {
            #expect(await group.exitStatus() == 0, "\(group.stderr)")
        }
        let listed = try #require(try await kubeid.json(["group", "list", "--tenant", "parallel"]) as? [[String: Any]])
        #expect(listed.count == 8)
    }

    /// The secret-hashing key and the key-encryption key are created by whichever process gets
    /// there first; every process started at the same moment must end up with that same key (a
    /// secret hashed under another key would never verify) and none may read a half-written file.
    @Test(.timeLimit(.minutes(2)))
    func keyFilesCreatedAtOnceAreTheSameKeyForEveryone() async throws {
        for round in 0..<20 {
            let kubeid = try KubeID()
            defer { kubeid.cleanUp() }
            let hashKeyFile = kubeid.dataDirectory + "/secret-hash.key"
            let encryptionKeyFile = kubeid.dataDirectory + "/key-encryption.key"
            let results = Mutex<[(hashKey: [UInt8]?, encryptionKeyID: String?, error: String?)]>([])
            // Eight real threads released together, as processes a script starts at once.
            let waiting = Atomic(0)
            let finished = DispatchGroup()
            for _ in 0..<8 {
                finished.enter()
                Thread {
                    defer { finished.leave() }
                    waiting.add(1, ordering: .sequentiallyConsistent)
                    while waiting.load(ordering: .sequentiallyConsistent) < 8 { sched_yield() }
                    do {
                        let hashKey = try DataDirectory.loadOrCreateSecretHashKey(at: hashKeyFile)
                        let encryption = try DataDirectory.loadOrCreateKeyEncryption(at: encryptionKeyFile)
                        results.withLock { $0.append((hashKey, encryption.currentKeyID, nil)) }
                    } catch {
                        results.withLock { $0.append((nil, nil, "\(error)")) }
                    }
                }.start()
            }
            finished.wait()
            let all = results.withLock { $0 }
            #expect(all.allSatisfy { $0.error == nil }, "round \(round): \(all.compactMap(\.error))")
            #expect(Set(all.compactMap(\.hashKey)).count == 1, "round \(round): several secret-hashing keys")
            #expect(Set(all.compactMap(\.encryptionKeyID)).count == 1, "round \(round): several key-encryption keys")
            let onDisk = try DataDirectory.loadOrCreateSecretHashKey(at: hashKeyFile)
            #expect(all.first?.hashKey == onDisk)
        }
    }
}
