"""The cross-language event sequence (README.md) in Python: prints the events
b sees, one name a line."""

import asyncio

from omnirtc import RTCConfiguration, RTCDataChannel, RTCPeerConnection


async def main() -> None:
    config = RTCConfiguration(omnirtc={"includeLoopback": True, "mdns": "disabled"})
    a, b = RTCPeerConnection(config), RTCPeerConnection(config)
    closed = asyncio.get_running_loop().create_future()
    channel = a.createDataChannel("chat")

    @channel.on("open")
    def send() -> None:
        for i in (1, 2, 3):
            channel.send(f"m{i}")

    @b.on("datachannel")
    def announced(remote: RTCDataChannel) -> None:
        print("datachannel", remote.readyState)
        remote.on("open", lambda: print("open"))
        @remote.on("message")
        def message(text: str) -> None:
            print("message", text)
            if text == "m3":
                remote.close()

        remote.on("closing", lambda: print("closing"))
        remote.on("close", lambda: (print("close"), closed.set_result(None)))

    await a.setLocalDescription(await a.createOffer())
    await b.setRemoteDescription(a.localDescription)
    await b.setLocalDescription(await b.createAnswer())
    await a.setRemoteDescription(b.localDescription)
    await asyncio.wait_for(closed, 30)
    await a.close()
    await b.close()


asyncio.run(main())
