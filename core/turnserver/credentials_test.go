package turnserver

import (
	"errors"
	"testing"
	"time"

	"github.com/omnirtc/omnirtc/core/rtcerr"
)

func TestRESTCredentialMatchesCoturn(t *testing.T) {
	// coturn: password = base64(hmac-sha1(secret, "expiry:user")).
	if got := RESTPassword("north", "1700000000:alice"); got != "Cd/49soE35ICqcJF/bCTn8Z4OyE=" {
		t.Fatalf("REST password %q", got)
	}
	username, password, err := RESTCredential("north", "alice", time.Hour)
	must(t, err)
	expiry, user, ok := splitRESTUsername(username)
	if !ok || user != "alice" || expiry < time.Now().Unix() || password != RESTPassword("north", username) {
		t.Fatalf("credential %q %q", username, password)
	}
	if _, _, err := RESTCredential("north", "a:b", time.Hour); !errors.Is(err, rtcerr.ErrInvalidArgument) {
		t.Fatalf("user with a colon: %v", err)
	}
	for _, name := range []string{"alice", "", ":alice", "12x:alice"} {
		if _, _, ok := splitRESTUsername(name); ok {
			t.Errorf("%q parsed as a REST username", name)
		}
	}
}
