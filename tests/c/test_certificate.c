/* Certificates (webrtc-pc 4.10): omnirtc_certificate_generate makes the
 * algorithms generateCertificate takes, omnirtc_certificate_info gives the
 * expiry and the fingerprint a peer made with the certificate announces, and
 * an expired certificate is refused at construction (InvalidAccessError). */
#include <ctype.h>
#include <string.h>

#include "harness.h"

/* A peer config with the one certificate pem, on loopback; free() it. */
static char *config_with(const char *pem) {
	char *escaped = json_escape_newlines(pem);
	char *config = malloc(strlen(escaped) + 200);
	sprintf(config, "{\"certificates\":[\"%s\"],\"omnirtc\":{\"includeLoopback\":true,\"mdns\":\"disabled\"}}",
	        escaped);
	free(escaped);
	return config;
}

/* info's expires (ms) and its sha-256 fingerprint, uppercased into fp. */
static long long parse_info(const char *info, char *fp, size_t n) {
	const char *e = strstr(info, "\"expires\":");
	CHECK(e != NULL);
	long long expires = strtoll(e + strlen("\"expires\":"), NULL, 10);
	const char *v = strstr(info, "{\"algorithm\":\"sha-256\",\"value\":\"");
	CHECK(v != NULL);
	v += strlen("{\"algorithm\":\"sha-256\",\"value\":\"");
	size_t i = 0;
	for (; v[i] && v[i] != '"' && i + 1 < n; i++) {
		CHECK(!isupper((unsigned char)v[i])); /* RTCDtlsFingerprint: lowercase hex */
		fp[i] = (char)toupper((unsigned char)v[i]);
	}
	fp[i] = '\0';
	return expires;
}

/* The offer of a peer made with pem has the fingerprint info gives. */
static void check_fingerprint_in_offer(const char *pem) {
	char *info = NULL, fp[128], sdp_fp[128];
	OK(omnirtc_certificate_info(pem, &info));
	parse_info(info, fp, sizeof fp);
	char *config = config_with(pem);
	peer_t p;
	peer_open(&p, "p", config);
	omnirtc_channel_t c;
	OK(omnirtc_channel_create(p.id, "c", NULL, &c));
	char *offer = NULL;
	OK(omnirtc_peer_create_offer(p.id, NULL, &offer));
	sdp_fingerprint(offer, sdp_fp, sizeof sdp_fp);
	CHECK(strcmp(fp, sdp_fp) == 0);
	omnirtc_free(offer);
	OK(omnirtc_peer_close(p.id));
	peer_free(&p);
	free(config);
	omnirtc_free(info);
}

TEST(generated_certificates_announce_their_fingerprint) {
	const char *algorithms[] = {
	    NULL,
	    "{\"name\":\"ECDSA\",\"namedCurve\":\"P-256\"}",
	    "{\"name\":\"RSASSA-PKCS1-v1_5\",\"modulusLength\":2048,\"publicExponent\":[1,0,1],\"hash\":\"SHA-256\"}",
	};
	for (size_t i = 0; i < sizeof algorithms / sizeof *algorithms; i++) {
		char *pem = NULL;
		OK(omnirtc_certificate_generate(algorithms[i], &pem));
		CHECK(strstr(pem, "BEGIN CERTIFICATE") && strstr(pem, "PRIVATE KEY"));
		check_fingerprint_in_offer(pem);
		omnirtc_free(pem);
	}
}

TEST(expires_is_honored_and_an_expired_certificate_is_refused) {
	long long now_ms = (long long)time(NULL) * 1000;
	char *pem = NULL, *info = NULL, fp[128];
	OK(omnirtc_certificate_generate("{\"name\":\"ECDSA\",\"namedCurve\":\"P-256\",\"expires\":3600000}", &pem));
	OK(omnirtc_certificate_info(pem, &info));
	long long expires = parse_info(info, fp, sizeof fp);
	CHECK(expires >= now_ms + 3600000 - 2000 && expires <= now_ms + 3600000 + 2000);
	omnirtc_free(pem);
	omnirtc_free(info);

	/* the default: 30 days */
	OK(omnirtc_generate_certificate(&pem));
	OK(omnirtc_certificate_info(pem, &info));
	expires = parse_info(info, fp, sizeof fp);
	CHECK(expires >= now_ms + 2592000000LL - 2000 && expires <= now_ms + 2592000000LL + 2000);
	omnirtc_free(pem);
	omnirtc_free(info);

	OK(omnirtc_certificate_generate("{\"name\":\"ECDSA\",\"namedCurve\":\"P-256\",\"expires\":0}", &pem));
	char *config = config_with(pem);
	omnirtc_peer_t peer = 0;
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ACCESS, omnirtc_peer_create(config, NULL, NULL, &peer));
	CHECK(peer == 0 && strstr(omnirtc_last_error(), "certificates[0]") != NULL);
	free(config);
	omnirtc_free(pem);
}

TEST(certificate_functions_refuse_what_they_cannot_do) {
	char *out = NULL;
	EXPECT_STATUS(OMNIRTC_ERR_NOT_SUPPORTED,
	              omnirtc_certificate_generate("{\"name\":\"ECDSA\",\"namedCurve\":\"P-521\"}", &out));
	EXPECT_STATUS(OMNIRTC_ERR_NOT_SUPPORTED, omnirtc_certificate_generate("{\"name\":\"HMAC\"}", &out));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_certificate_generate("{\"namedCurve\":\"P-256\"}", &out));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_certificate_generate("{\"name\":", &out));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_certificate_generate(NULL, NULL));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_certificate_info(NULL, &out));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_certificate_info("-----BEGIN CERTIFICATE-----", &out));
	EXPECT_STATUS(OMNIRTC_ERR_INVALID_ARGUMENT, omnirtc_certificate_info("", NULL));
	CHECK(out == NULL);
}

int main(int argc, char **argv) { return run_tests(argc, argv); }
