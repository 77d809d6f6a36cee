import IdentityCore
import OAuthProtocol

/// What a Graph handler answers, before OData paging and framing.
enum GraphReply: Sendable {
    /// One object: `@odata.context` `<base>/$metadata#<context>` is added in front.
    case entity(JSONValue, context: String, status: Int = 200)
    /// A collection of rendered objects; `$filter`, `$orderby`, `$top`, `$count`, `$select`
    /// and `$skiptoken` paging apply.
    case collection([JSONValue], context: String, pageSize: Int = 100)
    /// A page the handler already cut (the sign-in log pages in the store): `next` is the
    /// `$skiptoken` of the following page.
    case page([JSONValue], context: String, next: String?)
    /// A bare JSON value such as `{"value": [...]}` for actions.
    case value(JSONValue, status: Int = 200)
    case noContent
}
