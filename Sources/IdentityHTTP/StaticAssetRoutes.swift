import HTTPTypes
import Hummingbird
import NIOCore

/// `/static/kubeid.css`: the pages' only asset, served by kubeid itself and cacheable.
struct StaticAssetRoutes {
    func register(on router: Router<IdentityRequestContext>) {
        router.get("/static/kubeid.css") { _, _ in
            Response(status: .ok,
                     headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=86400",
                               PageResponse.contentTypeOptions: "nosniff"],
                     body: .init(byteBuffer: ByteBuffer(string: Stylesheet.css)))
        }
    }
}
