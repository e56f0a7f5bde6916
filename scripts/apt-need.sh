# Sourced: `apt_need PKG...` installs the Debian packages that are missing
# (a fresh machine runs apt-get update once first).
apt_need() {
	local missing=()
	for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
	[ ${#missing[@]} -eq 0 ] && return 0
	printf '\033[1m==> %s\033[0m\n' "installing apt packages: ${missing[*]}" >&2
	if [ ! -f /var/lib/apt/periodic/omnirtc-updated ] || [ -z "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ]; then
		DEBIAN_FRONTEND=noninteractive apt-get update -qq
		mkdir -p /var/lib/apt/periodic && touch /var/lib/apt/periodic/omnirtc-updated
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
