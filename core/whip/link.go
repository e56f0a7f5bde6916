package whip

import (
	"fmt"
	"strings"

	"github.com/omnirtc/omnirtc/core"
)

// linkHeaders formats ICE servers as a Link header value with
// rel="ice-server" (RFC 9725 section 4.6), one per URL.
func linkHeaders(servers []core.ICEServer) []string {
	var links []string
	for _, s := range servers {
		for _, u := range s.URLs {
			link := fmt.Sprintf("<%s>; rel=\"ice-server\"", u)
			if s.Username != nil && s.Credential != nil {
				link += fmt.Sprintf("; username=%q; credential=%q; credential-type=\"password\"", *s.Username, *s.Credential)
			}
			links = append(links, link)
		}
	}

	return links
}

// parseICEServers reads the rel="ice-server" links among Link header
// values; other links are skipped.
func parseICEServers(values []string) []core.ICEServer {
	var servers []core.ICEServer
	for _, value := range values {
		for _, link := range splitOutsideQuotes(value, ',') {
			target, params, ok := strings.Cut(strings.TrimSpace(link), ">")
			if !ok || !strings.HasPrefix(target, "<") {
				continue
			}
			s := core.ICEServer{URLs: core.StringList{target[1:]}}
			rel := false
			for _, param := range splitOutsideQuotes(params, ';') {
				name, v, _ := strings.Cut(strings.TrimSpace(param), "=")
				v = strings.Trim(v, `"`)
				switch strings.ToLower(name) {
				case "rel":
					rel = v == "ice-server"
				case "username":
					s.Username = &v
				case "credential":
					s.Credential = &v
				}
			}
			if rel {
				servers = append(servers, s)
			}
		}
	}

	return servers
}

// splitOutsideQuotes splits s at sep where it is outside double quotes.
func splitOutsideQuotes(s string, sep rune) []string {
	var parts []string
	quoted, start := false, 0
	for i, r := range s {
		switch r {
		case '"':
			quoted = !quoted
		case sep:
			if !quoted {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}

	return append(parts, s[start:])
}
