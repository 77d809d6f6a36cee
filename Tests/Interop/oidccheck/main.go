// Command oidccheck verifies a JWT the way kube-apiserver's OIDC authenticator does:
// go-oidc v2 provider discovery (the discovery document's issuer must equal the
// configured issuer byte for byte), the JWKS from jwks_uri, RS256 only, the audience
// equal to the configured client id, and iss/exp checked by the verifier.
//
// Usage: oidccheck ISSUER AUDIENCE CA_FILE TOKEN_FILE
//
// Exit 0 and the token's claims as JSON on stdout when the token is valid; exit 1
// and the error on stderr otherwise; exit 2 on bad usage.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io/ioutil"
	"net/http"
	"os"
	"strings"
	"time"

	oidc "github.com/coreos/go-oidc"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "oidccheck: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 5 {
		fmt.Fprintln(os.Stderr, "usage: oidccheck ISSUER AUDIENCE CA_FILE TOKEN_FILE")
		os.Exit(2)
	}
	issuer, audience, caFile, tokenFile := os.Args[1], os.Args[2], os.Args[3], os.Args[4]

	caPEM, err := ioutil.ReadFile(caFile)
	if err != nil {
		fail("reading CA file: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		fail("no certificate found in %s", caFile)
	}
	raw, err := ioutil.ReadFile(tokenFile)
	if err != nil {
		fail("reading token file: %v", err)
	}
	token := strings.TrimSpace(string(raw))

	client := &http.Client{
		Timeout: 20 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
		},
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ctx = oidc.ClientContext(ctx, client)

	// NewProvider fetches {issuer without trailing slash}/.well-known/openid-configuration
	// and refuses a document whose "issuer" differs from the configured one.
	provider, err := oidc.NewProvider(ctx, issuer)
	if err != nil {
		fail("discovery: %v", err)
	}
	verifier := provider.Verifier(&oidc.Config{
		ClientID:             audience,
		SupportedSigningAlgs: []string{oidc.RS256},
	})
	idToken, err := verifier.Verify(ctx, token)
	if err != nil {
		fail("verify: %v", err)
	}
	var claims map[string]interface{}
	if err := idToken.Claims(&claims); err != nil {
		fail("claims: %v", err)
	}
	out, err := json.Marshal(claims)
	if err != nil {
		fail("encoding claims: %v", err)
	}
	fmt.Println(string(out))
}
