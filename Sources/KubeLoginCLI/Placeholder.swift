import ArgumentParser
public struct KubeLoginCommand: ParsableCommand { public init() {} }
