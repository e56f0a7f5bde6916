"""Floods a TURN server with bad requests: a bounded number of UDP datagrams
(garbage, truncated STUN headers, unauthenticated Allocates and Allocates with
an unknown user and a wrong MESSAGE-INTEGRITY), from one socket, as fast as
the socket allows. Only ever aimed at a namespace address by the NAT suite.

    python3 flood.py HOST PORT COUNT     (at most 20,000 a second)
"""

import os
import socket
import struct
import sys
import time

RATE = 20000
MAGIC = 0x2112A442
ALLOCATE = 0x0003


def attr(kind: int, value: bytes) -> bytes:
    pad = (4 - len(value) % 4) % 4
    return struct.pack("!HH", kind, len(value)) + value + b"\0" * pad


def stun(method: int, attrs: bytes) -> bytes:
    return struct.pack("!HHI", method, len(attrs), MAGIC) + os.urandom(12) + attrs


TRANSPORT = attr(0x0019, bytes([17, 0, 0, 0]))  # REQUESTED-TRANSPORT: UDP


def nonce_of(sock: socket.socket, server) -> bytes:
    """The server's NONCE, from the 401 to an unauthenticated Allocate, so the
    signed requests below reach the credential check."""
    sock.settimeout(2)
    sock.sendto(stun(ALLOCATE, TRANSPORT), server)
    reply = sock.recv(2048)
    sock.setblocking(False)
    at = 20
    while at + 4 <= len(reply):
        kind, length = struct.unpack_from("!HH", reply, at)
        if kind == 0x0015:
            return reply[at + 4:at + 4 + length]
        at += 4 + length + (4 - length % 4) % 4
    sys.exit("no NONCE in the server's answer")


def requests(nonce: bytes):
    def signed(user: bytes) -> bytes:
        return stun(ALLOCATE, TRANSPORT + attr(0x0006, user) + attr(0x0014, b"omnirtc.test")
                    + attr(0x0015, nonce) + attr(0x0008, os.urandom(20)))
    while True:
        yield os.urandom(48)                      # garbage
        yield stun(ALLOCATE, TRANSPORT)[:13]      # truncated header
        yield stun(ALLOCATE, TRANSPORT)           # no credentials: 401
        yield signed(b"mallory")                  # unknown user
        yield signed(b"alice")                    # known user, wrong MESSAGE-INTEGRITY


def main() -> None:
    host, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    if not (host.startswith("10.") or host.startswith("127.")):
        sys.exit("flood.py only targets private test addresses")
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    server = (host, port)
    nonce = nonce_of(sock, server)
    sent = answered = 0
    start = time.monotonic()
    for packet in requests(nonce):
        if sent == count:
            break
        # At most RATE a second, so the flood lasts while the suite's call runs.
        if sent % 1000 == 0:
            time.sleep(max(0.0, start + sent / RATE - time.monotonic()))
        try:
            sock.sendto(packet, server)
            sent += 1
        except BlockingIOError:
            pass
        try:
            while sock.recv(2048):
                answered += 1
        except BlockingIOError:
            pass
    print(f"flood: sent {sent} bad requests in {time.monotonic() - start:.1f} s, {answered} answers")
    if answered == 0:
        sys.exit("the server answered none")


if __name__ == "__main__":
    main()
