import KubeIDCLI

await KubeIDCommand.runCommandLine()
