#ifndef KUBEID_COPENSSL_SHIM_H
#define KUBEID_COPENSSL_SHIM_H
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/hmac.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <openssl/pkcs12.h>
#include <openssl/rsa.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/kdf.h>
#include <openssl/param_build.h>
#include <openssl/params.h>

/* Macros Swift cannot import, wrapped as functions. */
static inline long cossl_BIO_get_mem_data(BIO *b, char **pp) { return BIO_get_mem_data(b, pp); }
static inline int cossl_BN_num_bytes(const BIGNUM *bn) { return BN_num_bytes(bn); }
static inline void cossl_free(void *p) { OPENSSL_free(p); }
static inline int cossl_EVP_PKEY_CTX_set_rsa_padding(EVP_PKEY_CTX *ctx, int pad) { return EVP_PKEY_CTX_set_rsa_padding(ctx, pad); }
static inline int cossl_EVP_PKEY_CTX_set_rsa_pss_saltlen(EVP_PKEY_CTX *ctx, int len) { return EVP_PKEY_CTX_set_rsa_pss_saltlen(ctx, len); }
static inline int cossl_X509_set_notBefore_offset(X509 *x, long seconds) { return X509_gmtime_adj(X509_getm_notBefore(x), seconds) != NULL; }
static inline int cossl_X509_set_notAfter_offset(X509 *x, long seconds) { return X509_gmtime_adj(X509_getm_notAfter(x), seconds) != NULL; }

/* EVP_PKEY_PUBLIC_KEY is an OR of other macros, which Swift does not import. */
static inline int cossl_EVP_PKEY_PUBLIC_KEY(void) { return EVP_PKEY_PUBLIC_KEY; }
/* STACK_OF(X509) accessors are function-like macros over type-checking inlines. */
static inline int cossl_sk_X509_num(const STACK_OF(X509) *sk) { return sk_X509_num(sk); }
static inline X509 *cossl_sk_X509_value(const STACK_OF(X509) *sk, int i) { return sk_X509_value(sk, i); }
static inline void cossl_sk_X509_pop_free(STACK_OF(X509) *sk) { sk_X509_pop_free(sk, X509_free); }
#endif
