"""The aiortc program of original.py, ported by changing its imports."""

import asyncio

from omnirtc import RTCConfiguration, RTCPeerConnection

CONFIGURATION = RTCConfiguration(iceServers=[])


async def run() -> str:
    caller = RTCPeerConnection(CONFIGURATION)
    callee = RTCPeerConnection(CONFIGURATION)
    result = asyncio.get_running_loop().create_future()
    channel = caller.createDataChannel("ping")

    @callee.on("datachannel")
    def on_datachannel(remote):
        @remote.on("message")
        def on_message(message):
            remote.send("pong" + message[4:])

    @channel.on("open")
    def on_open():
        channel.send("ping 1")

    @channel.on("message")
    def on_message(message):
        result.set_result(message)

    await caller.setLocalDescription(await caller.createOffer())
    await callee.setRemoteDescription(caller.localDescription)
    await callee.setLocalDescription(await callee.createAnswer())
    await caller.setRemoteDescription(callee.localDescription)
    reply = await asyncio.wait_for(result, 20)
    await caller.close()
    await callee.close()
    return reply


if __name__ == "__main__":
    print(asyncio.run(run()))
