# Sourced by the suites whose tests are shell commands: `check NAME CMD...`
# runs one, showing CMD's output only when it fails; `checks_summary SUITE`
# prints the closing line build.sh adds up and fails unless all passed.
passed=0 failed=0

check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		passed=$((passed + 1))
		echo "ok   $name"
	else
		failed=$((failed + 1))
		printf 'FAIL %s\n%s\n' "$name" "$out"
	fi
}

checks_summary() {
	echo "$1: $passed passed, $failed failed"
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
}
