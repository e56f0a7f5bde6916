/* The Windows DLL entered from C under wine (scripts/test-dist.sh): the Go
 * runtime starts inside omnirtc.dll, a peer makes an offer with a data
 * channel, a stale handle is refused with its message, and shutdown returns.
 * Prints "windows smoke ok" when every step did what the header says. */
#include <stdio.h>
#include <string.h>

#include <omnirtc.h>

static int fail(const char *step, omnirtc_status_t status) {
	fprintf(stderr, "%s: %s: %s\n", step, omnirtc_status_string(status), omnirtc_last_error());
	return 1;
}

int main(void) {
	printf("OmniRTC %s\n", omnirtc_version());
	omnirtc_peer_t peer;
	omnirtc_status_t status = omnirtc_peer_create("{}", NULL, NULL, &peer);
	if (status != OMNIRTC_OK)
		return fail("peer_create", status);
	omnirtc_channel_t channel;
	if ((status = omnirtc_channel_create(peer, "chat", NULL, &channel)) != OMNIRTC_OK)
		return fail("channel_create", status);
	char *sdp;
	if ((status = omnirtc_peer_create_offer(peer, NULL, &sdp)) != OMNIRTC_OK)
		return fail("peer_create_offer", status);
	int has_channel = strstr(sdp, "m=application") != NULL;
	omnirtc_free(sdp);
	if (!has_channel)
		return fail("the offer has no m=application", OMNIRTC_OK);
	if ((status = omnirtc_peer_close(peer)) != OMNIRTC_OK)
		return fail("peer_close", status);
	if (omnirtc_peer_close(peer) != OMNIRTC_ERR_INVALID_HANDLE || omnirtc_last_error()[0] == '\0')
		return fail("a second close is not refused with a message", OMNIRTC_OK);
	if ((status = omnirtc_shutdown()) != OMNIRTC_OK)
		return fail("shutdown", status);
	printf("windows smoke ok\n");
	return 0;
}
