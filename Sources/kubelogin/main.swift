import KubeLoginCLI

#if canImport(Glibc)
import Glibc
#endif

// All logic lives in KubeLoginCLI/KubeLoginCore; this only hands over argv and the exit code.
exit(await KubeLoginMain.main(Array(CommandLine.arguments.dropFirst())))
