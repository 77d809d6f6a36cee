import Foundation

/// The selected target (`KUBEID_FUZZ_TARGET`), read once.
let selectedTarget: FuzzTarget = {
    let name = ProcessInfo.processInfo.environment["KUBEID_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(Data("Error: set KUBEID_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
        exit(1)
    }
    return target
}()

#if FUZZING
/// libFuzzer's entry point (the fuzz build links libFuzzer, which provides `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selectedTarget.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
#else
/// Without libFuzzer: replays files (or every file of directories) through the target, so a
/// corpus or a crash input can be rerun under a debugger or in a plain build.
@main
enum FuzzReplay {
    static func main() {
        let target = selectedTarget
        var count = 0
        for path in CommandLine.arguments.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                FileHandle.standardError.write(Data("Error: no such file \(path)\n".utf8))
                exit(1)
            }
            let files = isDirectory.boolValue
                ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted().map { "\(path)/\($0)" } : [path]
            for file in files {
                guard let data = FileManager.default.contents(atPath: file) else { continue }
                target.run(Array(data))
                count += 1
            }
        }
        print("\(target.rawValue): replayed \(count) inputs")
    }
}
#endif
