package turnserver

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // RFC 5389 long-term and coturn REST credentials are defined on SHA-1
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/omnirtc/omnirtc/core/rtcerr"
)

// RESTPassword is the password of a time-limited username under secret, as
// coturn's use-auth-secret defines it: base64(HMAC-SHA1(secret, username)).
func RESTPassword(secret, username string) string {
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write([]byte(username))

	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// RESTCredential makes a time-limited username "<now+ttl>:user" and its
// password under secret.
func RESTCredential(secret, user string, ttl time.Duration) (username, password string, err error) {
	if strings.Contains(user, ":") {
		return "", "", rtcerr.Wrap(rtcerr.ErrInvalidArgument, fmt.Errorf("user %s: a REST user name may not contain ':'", rtcerr.Quote(user)))
	}
	username = strconv.FormatInt(time.Now().Add(ttl).Unix(), 10) + ":" + user

	return username, RESTPassword(secret, username), nil
}

// splitRESTUsername splits a time-limited username "expiry:user" (or just
// "expiry") into its parts; ok is false when it has no numeric expiry.
func splitRESTUsername(username string) (expiry int64, user string, ok bool) {
	stamp, user, _ := strings.Cut(username, ":")
	if stamp == "" {
		return 0, "", false
	}
	for _, r := range stamp {
		if r < '0' || r > '9' {
			return 0, "", false
		}
	}
	if _, err := fmt.Sscan(stamp, &expiry); err != nil {
		return 0, "", false
	}

	return expiry, user, true
}
