/// Turns a sign-in attempt into a decision. Called from exactly two places: when an interactive
/// sign-in completes (``InteractiveSignIn``) and for every grant at the token endpoint
/// (``TokenEndpoint``), so a rule added here holds for every way of getting a token.
///
/// Implementations throw only for infrastructure failures; every refusal is a decision.
public protocol AccessPolicy: Sendable {
    func evaluate(_ context: SignInContext) async throws -> SignInDecision
}
