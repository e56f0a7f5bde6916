"""Two omnirtc peers in one process exchange messages over a data channel.

Run: python examples/python/datachannel.py   (with omnirtc installed or on PYTHONPATH)
"""

import asyncio

from omnirtc import RTCConfiguration, RTCPeerConnection

# Loopback only, no mDNS: the example needs no network.
CONFIG = RTCConfiguration(omnirtc={"includeLoopback": True, "mdns": "disabled"})


async def main() -> None:
    alice, bob = RTCPeerConnection(CONFIG), RTCPeerConnection(CONFIG)
    channel = alice.createDataChannel("chat")
    done = asyncio.get_running_loop().create_future()

    @bob.on("datachannel")
    def on_datachannel(remote):
        @remote.on("message")
        def on_message(message):
            print("bob got:", message)
            remote.send(f"echo: {message}")

    @channel.on("open")
    def on_open():
        channel.send("hello bob")

    @channel.on("message")
    def on_message(message):
        print("alice got:", message)
        done.set_result(message)

    # Signaling, in-process: aiortc style, each description carries its candidates.
    await alice.setLocalDescription(await alice.createOffer())
    await bob.setRemoteDescription(alice.localDescription)
    await bob.setLocalDescription(await bob.createAnswer())
    await alice.setRemoteDescription(bob.localDescription)

    await asyncio.wait_for(done, 10)
    print("connection:", alice.connectionState)
    await alice.close()
    await bob.close()


if __name__ == "__main__":
    asyncio.run(main())
