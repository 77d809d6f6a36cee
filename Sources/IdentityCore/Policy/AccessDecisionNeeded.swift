/// Thrown by a sign-in step that cannot go on and whose refusal is the access policy's to
/// word: a locked-out account presenting a password, say. The caller evaluates the policy with
/// the context as it stands and answers with its decision.
public struct AccessDecisionNeeded: Error, Sendable {
    public init() {}
}
