/// The version `kubelogin --version` reports. kubeid's plugin follows upstream's CLI v0.2.19.
public enum KubeLoginVersion {
    public static let version = "v0.2.19-kubeid"
    public static let compatibleUpstream = "v0.2.19"
}
