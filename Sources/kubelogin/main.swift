import KubeLoginCLI

#if canImport(Glibc)
import Glibc
#endif

// All logic lives in KubeLoginCLI/KubeLoginCore; this only hands over argv and the exit code.
// Synchronous on purpose: a cache hit then never starts the concurrency runtime.
exit(KubeLoginMain.mainBlocking(Array(CommandLine.arguments.dropFirst())))
