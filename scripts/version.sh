#!/usr/bin/env bash
# Prints OmniRTC's version, which include/omnirtc.h defines.
sed -n 's/^#define OMNIRTC_VERSION "\(.*\)"/\1/p' "$(dirname "$0")/../include/omnirtc.h"
