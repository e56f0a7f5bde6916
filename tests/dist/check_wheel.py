"""Checks a wheel as an installer reads it: its WHEEL file's tag and platlib
root, a RECORD that lists every other file with its size and SHA-256 (and
itself unhashed), and exactly one library in the package, the one named.

Usage: python3 tests/dist/check_wheel.py WHEEL TAG LIBRARY   e.g. ... py3-none-win_amd64 omnirtc.dll
"""

import base64
import csv
import hashlib
import io
import sys
import zipfile


def check(path: str, tag: str, library: str) -> list[str]:
    problems = []
    with zipfile.ZipFile(path) as whl:
        names = whl.namelist()
        dist_info = next(n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info"))
        wheel = whl.read(f"{dist_info}/WHEEL").decode().splitlines()
        if f"Tag: {tag}" not in wheel or [line for line in wheel if line.startswith("Tag:")] != [f"Tag: {tag}"]:
            problems.append(f"WHEEL tags are not {tag} alone: {wheel}")
        if "Root-Is-Purelib: false" not in wheel:
            problems.append("WHEEL does not say Root-Is-Purelib: false")
        record = f"{dist_info}/RECORD"
        rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(whl.read(record).decode())) if row}
        if sorted(rows) != sorted(names):
            problems.append(f"RECORD lists {sorted(set(rows) ^ set(names))} unlike the archive")
        for name in names:
            if name == record:
                if rows.get(name) != ["", ""]:
                    problems.append("RECORD hashes itself")
                continue
            data = whl.read(name)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            if rows.get(name) != [f"sha256={digest}", str(len(data))]:
                problems.append(f"RECORD's hash or size of {name} is wrong")
        libraries = [n for n in names if n.startswith("omnirtc/") and ("libomnirtc" in n or n.endswith(".dll"))]
        if libraries != [f"omnirtc/{library}"]:
            problems.append(f"the package's libraries are {libraries}, not omnirtc/{library}")
    return problems


if __name__ == "__main__":
    found = check(*sys.argv[1:4])
    print("\n".join(found))
    sys.exit(1 if found else 0)
