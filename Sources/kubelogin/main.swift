import KubeLoginCLI
KubeLoginCommand.main()
